import { ApiError, type Operation } from '@novacron/api';
import type { OperationContext, OperationMeta, OperationService } from '../operations/operation.service';

/** One long action per resource at a time (in this process): a second one is refused at once instead of racing the first. */
export class BusyGuard {
  private readonly held = new Map<string, string>();

  /** Claims `key` for `what`; throws INVALID_STATE while another action holds it. Returns the release function. */
  claim(key: string, what: string): () => void {
    const holder = this.held.get(key);
    if (holder) throw new ApiError('INVALID_STATE', `${key.replace(':', ' ')} is busy (${holder} is running): try again when it ends`);
    this.held.set(key, what);
    let released = false;
    return () => {
      if (!released && this.held.get(key) === what) this.held.delete(key);
      released = true;
    };
  }

  /** Starts an operation holding `keys` until its work ends. */
  async start(ops: OperationService, keys: string[], meta: OperationMeta, work: (ctx: OperationContext) => Promise<Record<string, unknown> | void>): Promise<Operation> {
    const releases: (() => void)[] = [];
    const releaseAll = () => releases.splice(0).forEach((r) => r());
    try {
      for (const k of keys) releases.push(this.claim(k, meta.kind));
      return await ops.start(meta, async (ctx) => {
        try {
          return await work(ctx);
        } finally {
          releaseAll();
        }
      });
    } catch (err) {
      releaseAll();
      throw err;
    }
  }
}
