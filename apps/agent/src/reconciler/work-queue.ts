/** Options of a WorkQueue. */
export interface WorkQueueOptions {
  /** Keys handled at the same time (never the same key twice at once). Default 4. */
  concurrency?: number;
  /** First retry delay after a failure; doubles per consecutive failure of the key. Default 500 ms. */
  baseBackoffMs?: number;
  /** Largest retry delay. Default 30 s. */
  maxBackoffMs?: number;
  /** Told about every failure (for logs). */
  onError?: (key: string, error: unknown, failures: number) => void;
}

/**
 * A de-duplicating work queue keyed by id, as controllers use it: adding a key that is already waiting does nothing,
 * adding one that is being handled runs it once more afterwards, a failing key is retried with exponential backoff.
 * Handlers read the latest state when they run, so collapsing many adds into one run loses nothing.
 */
export class WorkQueue {
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopped = false;
  private readonly concurrency: number;

  constructor(
    private readonly handler: (key: string) => Promise<void>,
    private readonly options: WorkQueueOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
  }

  /** Queues `key` now. */
  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.pending.push(key);
    this.pump();
  }

  /** Queues `key` after `delayMs` (an earlier scheduled add wins). */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, Math.max(0, delayMs));
    timer.unref?.();
    this.delayed.set(key, { timer, at });
  }

  /** Consecutive failures of `key` so far. */
  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Resolves when nothing is queued or running (delayed adds do not count). */
  idle(): Promise<void> {
    if (this.active.size === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything queued or delayed; running handlers finish. */
  stop(): void {
    this.stopped = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.pending.length = 0;
    this.queued.clear();
    this.dirty.clear();
  }

  private pump(): void {
    while (this.active.size < this.concurrency && this.pending.length > 0) {
      const key = this.pending.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      void this.run(key);
    }
    if (this.active.size === 0 && this.pending.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async run(key: string): Promise<void> {
    try {
      await this.handler(key);
      this.failures.delete(key);
    } catch (error) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.options.onError?.(key, error, failures);
      const base = this.options.baseBackoffMs ?? 500;
      this.addAfter(key, Math.min(this.options.maxBackoffMs ?? 30_000, base * 2 ** (failures - 1)));
    } finally {
      this.active.delete(key);
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
