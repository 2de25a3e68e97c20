import { AgentError } from '../../../lib/agent-error';

/**
 * Turns a qemu-img failure caused by QEMU's image locking ("Failed to get shared/write lock ... Is another process using
 * the image?") into IN_USE: the image belongs to a running VM. Other errors pass through unchanged.
 */
export function asInUse(error: unknown): unknown {
  const message = (error as Error | undefined)?.message ?? '';
  if (/Failed to get .*lock|another process using the image/i.test(message)) {
    return new AgentError('IN_USE', `the image is in use by a running QEMU: ${message}`, { cause: error });
  }
  return error;
}
