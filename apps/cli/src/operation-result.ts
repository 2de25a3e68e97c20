import type { Operation } from '@novacron/api';
import { intFlag } from './args';
import { operationFields } from './commands/op/columns';
import { operationFailure, waitForOperation } from './operations';
import { record, type Result } from './output';
import type { CommandContext, FlagSpec } from './registry';

/** `--wait` and `--timeout` for commands that start an operation. */
export const waitFlags: Record<string, FlagSpec> = {
  wait: { type: 'boolean', short: 'w', description: 'Wait for the operation to end (exit 1 when it fails)' },
  timeout: { type: 'string', value: 'SECONDS', description: 'With --wait: give up after this long (default 300)' },
};

/**
 * What a command that started `op` answers: the operation as accepted, or with `--wait` the operation once it ended,
 * its failure turned into the exit code (same output as `novacron op wait`).
 */
export async function operationResult(ctx: CommandContext, op: Operation): Promise<Result> {
  const timeout = intFlag(ctx.flags, 'timeout', { min: 0, max: 86_400 }) ?? 300;
  if (!ctx.flags.wait) return record(op, operationFields(op), `(operation ${op.id}: follow it with novacron op wait ${op.id})`);
  const done = await waitForOperation(ctx.api, op.id, timeout);
  return { ...record(done, operationFields(done)), failure: operationFailure(done) };
}
