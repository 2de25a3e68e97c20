import type { Store } from '../store/db';

/** How many rows one cleanup pass deleted, per table. */
export interface CleanupCounts {
  sessions: number;
  refreshTokens: number;
  oneTimeTokens: number;
  consoleTickets: number;
  joinTokens: number;
}

/**
 * Deletes rows that can never authenticate anything again. Every statement is a plain conditional DELETE: running it twice,
 * or on several replicas at once, deletes each row once and otherwise nothing (no read-then-delete race).
 */
export class ExpiredRowsRepository {
  constructor(private readonly store: Store) {}

  /**
   * Sessions that expired without being revoked, and revoked sessions whose revocation is older than `revokedBefore` (one
   * refresh-token lifetime). A revoked family is kept that long even after it expires, so a stolen refresh token replayed
   * within its lifetime still answers REFRESH_TOKEN_REUSED and is audited. Refresh tokens go with their session (ON DELETE CASCADE).
   */
  async deleteSessions(now: string, revokedBefore: string): Promise<number> {
    const res = await this.store.db
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([
          eb.and([eb('revoked_at', 'is', null), eb('expires_at', '<=', now)]),
          eb.and([eb('revoked_at', 'is not', null), eb('revoked_at', '<=', revokedBefore)]),
        ]),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Refresh tokens of still-live sessions that were spent more than one refresh-token lifetime ago (a long session piles them up). */
  async deleteSpentRefreshTokens(usedBefore: string): Promise<number> {
    const res = await this.store.db.deleteFrom('refresh_tokens').where('used_at', 'is not', null).where('used_at', '<=', usedBefore).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Expired single-use tokens of every kind, and used password-reset and email-verification tokens (invites and setup tokens expire). */
  async deleteOneTimeTokens(now: string): Promise<number> {
    const res = await this.store.db
      .deleteFrom('one_time_tokens')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb.and([eb('used_at', 'is not', null), eb('kind', 'in', ['reset', 'verify'])])]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Console tickets that are used or expired (they live seconds). */
  async deleteConsoleTickets(now: string): Promise<number> {
    const res = await this.store.db
      .deleteFrom('console_tickets')
      .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Node join tokens past their expiry, used or not (a used one is not read again). */
  async deleteJoinTokens(now: string): Promise<number> {
    const res = await this.store.db.deleteFrom('node_join_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
