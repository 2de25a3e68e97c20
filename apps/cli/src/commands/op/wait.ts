import { intFlag } from '../../args';
import { operationFailure, waitForOperation } from '../../operations';
import { record } from '../../output';
import { defineCommand } from '../../registry';
import { operationFields } from './columns';

/** `novacron op wait <id>`: exit 0 when it succeeded, 1 when it failed, was cancelled or is still running at the timeout. */
export const opWaitCommand = defineCommand({
  path: ['op', 'wait'],
  summary: 'Wait for an operation to end (exit 1 when it failed, was cancelled or timed out)',
  args: '<id>',
  minArgs: 1,
  flags: { timeout: { type: 'string', value: 'SECONDS', description: 'Give up after this long (default 300)' } },
  async run(ctx) {
    const op = await waitForOperation(ctx.api, ctx.args[0], intFlag(ctx.flags, 'timeout', { min: 0, max: 86_400 }) ?? 300);
    return { ...record(op, operationFields(op)), failure: operationFailure(op) };
  },
});
