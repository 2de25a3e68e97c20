/** The clock adapter: services read time through it so tests can move it. */
export interface Clock {
  now(): Date;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** ISO text of a date, the format timestamps are stored and sent in. */
export function iso(d: Date): string {
  return d.toISOString();
}

/** `d` plus `seconds`, as ISO text. */
export function isoPlus(d: Date, seconds: number): string {
  return new Date(d.getTime() + seconds * 1000).toISOString();
}
