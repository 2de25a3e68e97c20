import type { Clock } from '../lib/clock';

/** A clock tests move by hand: lockouts expire, tokens age, TOTP steps advance without waiting. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by `seconds`. */
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }

  /** Jumps to a moment. */
  set(at: Date): void {
    this.current = at.getTime();
  }
}
