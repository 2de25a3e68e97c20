import type { Clock } from '../lib/clock';
import type { SettingsService } from '../settings/settings.service';
import type { CleanupCounts, ExpiredRowsRepository } from './expired-rows.repository';

/** The first pass runs this long after start (not at once: a start is busy enough), or after one interval if that is shorter. */
export const FIRST_CLEANUP_DELAY_MS = 60_000;

/** Where failures of a background pass are reported (the server passes its pino logger). */
export interface CleanupLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Periodically deletes expired sessions and tokens so the tables that every login and refresh reads stay small.
 * Every replica may run it: the deletes are idempotent, so no leadership is needed.
 */
export class CleanupService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly repo: ExpiredRowsRepository,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    /** Milliseconds between passes; 0 turns the periodic job off. */
    private readonly intervalMs: number,
  ) {}

  /** One pass: one DELETE per table; answers how many rows each removed. */
  async runOnce(): Promise<CleanupCounts> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const { refreshTokenTtlSeconds } = await this.settings.internal();
    const lifetimeAgo = new Date(now.getTime() - refreshTokenTtlSeconds * 1000).toISOString();
    return {
      sessions: await this.repo.deleteSessions(nowIso, lifetimeAgo),
      refreshTokens: await this.repo.deleteSpentRefreshTokens(lifetimeAgo),
      oneTimeTokens: await this.repo.deleteOneTimeTokens(nowIso),
      consoleTickets: await this.repo.deleteConsoleTickets(nowIso),
      joinTokens: await this.repo.deleteJoinTokens(nowIso),
    };
  }

  /** Schedules the passes (first one shortly after start); timers do not keep the process alive. */
  start(log: CleanupLog, firstDelayMs = FIRST_CLEANUP_DELAY_MS): void {
    if (this.intervalMs <= 0 || this.timer) return;
    const pass = () => {
      this.running = this.runOnce()
        .then((counts) => {
          if (Object.values(counts).some((n) => n > 0)) log.info({ deleted: counts }, 'expired sessions and tokens deleted');
        })
        .catch((err) => log.warn({ err: (err as Error).message }, 'cleanup of expired sessions and tokens failed; next pass retries'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.schedule(pass, this.intervalMs);
        });
    };
    this.schedule(pass, Math.min(firstDelayMs, this.intervalMs));
  }

  private schedule(pass: () => void, ms: number): void {
    this.timer = setTimeout(pass, ms);
    this.timer.unref();
  }

  /** Stops scheduling and waits for a pass in flight, so the store can be closed after. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
