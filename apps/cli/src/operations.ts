import type { Operation } from '@novacron/api';
import { CliError, ExitCode } from './exit-codes';
import type { ApiSession } from './session';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

/** Whether an operation has ended. */
export function operationEnded(op: Operation): boolean {
  return ENDED.has(op.status);
}

/**
 * Long-polls an operation until it ends or `timeoutSeconds` pass (each server wait is at most 60 s).
 * For commands such as `vm start --wait`: pair with `operationFailure` to turn the outcome into an exit code.
 */
export async function waitForOperation(api: ApiSession, id: string, timeoutSeconds: number): Promise<Operation> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let op = await api.call('operations.get', { params: { id } });
  while (!operationEnded(op)) {
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) break;
    op = await api.call('operations.wait', { params: { id }, query: { timeout: Math.min(left, 60) } });
  }
  return op;
}

/** The error an operation's outcome means for the exit code: none when it succeeded. */
export function operationFailure(op: Operation): CliError | undefined {
  if (op.status === 'succeeded') return undefined;
  if (op.status === 'failed') return new CliError(op.error?.code ?? 'OPERATION_FAILED', `operation ${op.id} failed: ${op.error?.message ?? 'no reason given'}`);
  if (op.status === 'cancelled') return new CliError('OPERATION_CANCELLED', `operation ${op.id} was cancelled`);
  return new CliError('TIMEOUT', `operation ${op.id} is still ${op.status} (${op.progress}%)`, ExitCode.API_ERROR);
}
