/** Reconnect delays: `initialMs` doubling to `maxMs`, with ±20% jitter so a fleet does not reconnect in lockstep. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 10_000,
  ) {}

  /** The delay before the next attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt++);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /** Back to the initial delay (after a successful connection). */
  reset(): void {
    this.attempt = 0;
  }
}
