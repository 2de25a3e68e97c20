import { QmpClosedError, QmpTimeoutError } from './qmp-errors.ts';
import type { QmpEvent, QmpEventPredicate } from './qmp-types.ts';

/** Listener of every QMP event. */
export type QmpEventListener = (event: QmpEvent) => void;

/**
 * Fans QMP events out to listeners, one-shot waiters and async iterators, and fails the waiters
 * when the connection closes. Waiters are registered synchronously, so a waiter created before a
 * command is sent cannot miss an event that QEMU emits before the command's reply.
 */
export class QmpEventHub {
  private readonly listeners = new Set<QmpEventListener>();
  private readonly closers = new Set<(error: Error) => void>();
  private closedWith: Error | undefined;

  /** Delivers one event to everybody registered right now. */
  dispatch(event: QmpEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A throwing listener must not break QMP reading or the other listeners.
      }
    }
  }

  /** Ends every waiter and iterator with `error`; later registrations fail at once. */
  close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    for (const closer of [...this.closers]) closer(error);
    this.listeners.clear();
    this.closers.clear();
  }

  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: QmpEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event named `name` that passes `predicate`. */
  waitFor(name: string, predicate: QmpEventPredicate | undefined, timeoutMs: number, signal?: AbortSignal): Promise<QmpEvent> {
    if (this.closedWith) return Promise.reject(new QmpClosedError(`QMP connection closed; cannot wait for ${name}`, { cause: this.closedWith }));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<QmpEvent>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        this.closers.delete(closer);
        signal?.removeEventListener('abort', onAbort);
      };
      const listener: QmpEventListener = (event) => {
        if (event.event !== name || (predicate && !predicate(event))) return;
        cleanup();
        resolve(event);
      };
      const closer = (error: Error): void => {
        cleanup();
        reject(new QmpClosedError(`QMP connection closed while waiting for ${name}`, { cause: error }));
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new QmpTimeoutError(`event ${name}`, timeoutMs));
      }, timeoutMs);
      this.listeners.add(listener);
      this.closers.add(closer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** An async iterator over events from now on; it ends when the connection closes or on `break`. */
  iterate(): AsyncIterableIterator<QmpEvent> {
    const queue: QmpEvent[] = [];
    let wake: (() => void) | undefined;
    let done = this.closedWith !== undefined;
    const stop = (): void => {
      done = true;
      this.listeners.delete(listener);
      this.closers.delete(stop);
      wake?.();
    };
    const listener: QmpEventListener = (event) => {
      queue.push(event);
      wake?.();
    };
    if (!done) {
      this.listeners.add(listener);
      this.closers.add(stop);
    }
    const iterator: AsyncIterableIterator<QmpEvent> = {
      async next(): Promise<IteratorResult<QmpEvent>> {
        while (queue.length === 0 && !done) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
        const value = queue.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      async return(): Promise<IteratorResult<QmpEvent>> {
        stop();
        queue.length = 0;
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}
