import { ApiError, type ErrorCode } from '@novacron/api';
import type { Clock } from '../lib/clock';

/** An ApiError that tells the client when to retry (sent as `Retry-After`). */
export class RetryLaterError extends ApiError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}

/** Counts failures per key in a sliding window; a key with `max` failures inside the window is blocked until the oldest ages out. */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly clock: Clock,
    readonly max: number,
    readonly windowSeconds: number,
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.clock.now().getTime() - this.windowSeconds * 1000;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until `key` may try again, or 0 when it may now. */
  blockedFor(key: string): number {
    const list = this.recent(key);
    if (list.length < this.max) return 0;
    const freeAt = list[list.length - this.max] + this.windowSeconds * 1000;
    return Math.max(1, Math.ceil((freeAt - this.clock.now().getTime()) / 1000));
  }

  /** Records one failure. */
  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.clock.now().getTime());
    // Only the newest `max` matter for blocking; dropping older ones bounds memory per key.
    this.failures.set(key, list.slice(-this.max));
  }

  /** Forgets a key's failures (after a success). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Drops keys with nothing recent, so memory stays bounded under a spray of addresses. */
  sweep(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}

/** Login throttling: failures per account (5 per 15 min by default) and per client IP (20 per 15 min). In memory, per process. */
export class LoginThrottle {
  readonly account: FailureWindow;
  readonly ip: FailureWindow;
  private checks = 0;
  constructor(clock: Clock, opts: { accountMax?: number; ipMax?: number; windowSeconds?: number } = {}) {
    const window = opts.windowSeconds ?? 900;
    this.account = new FailureWindow(clock, opts.accountMax ?? 5, window);
    this.ip = new FailureWindow(clock, opts.ipMax ?? 20, window);
  }

  /** Throws RATE_LIMITED (per IP) or ACCOUNT_LOCKED (per account) with a retry delay, before any password is checked. */
  assertAllowed(account: string, ip: string): void {
    if (++this.checks % 1000 === 0) {
      this.account.sweep();
      this.ip.sweep();
    }
    const ipWait = this.ip.blockedFor(ip);
    if (ipWait) throw new RetryLaterError('RATE_LIMITED', `too many failed attempts from this address; retry in ${ipWait} s`, ipWait);
    const accountWait = this.account.blockedFor(account.toLowerCase());
    if (accountWait) throw new RetryLaterError('ACCOUNT_LOCKED', `too many failed attempts for this account; retry in ${accountWait} s`, accountWait);
  }

  /** Counts a failed attempt against both the account and the address. */
  recordFailure(account: string, ip: string): void {
    this.account.fail(account.toLowerCase());
    this.ip.fail(ip);
  }

  /** A successful sign-in clears the account's failures (not the address's: one good account must not unlock a spray). */
  recordSuccess(account: string): void {
    this.account.reset(account.toLowerCase());
  }
}
