import type { Store } from '../store/db';
import type { RefreshTokenRow, SessionRow, UserRow } from '../store/schema';
import type { BindingWithPermissions } from './account.repository';
import { compileAccessQuery, runAccessQuery } from './access-query';

/** A session with its user and the user's role bindings, as one authenticated request needs them. */
export interface SessionAccess {
  session: Pick<SessionRow, 'id' | 'user_id' | 'expires_at' | 'revoked_at'>;
  user: UserRow;
  bindings: Pick<BindingWithPermissions, 'tenant_id' | 'permissions'>[];
}

/** Sessions and their refresh-token families. */
export class SessionRepository {
  private accessQuery?: { sql: string; params: number };

  constructor(private readonly store: Store) {}

  /** Creates a session with its first refresh token, atomically. */
  async create(session: SessionRow, token: RefreshTokenRow): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('sessions').values(session).execute();
      await trx.insertInto('refresh_tokens').values(token).execute();
    });
  }

  /** A session by id. */
  async get(id: string): Promise<SessionRow | undefined> {
    return this.store.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The session, its user and the user's bindings with their roles' permissions in ONE query (a row per binding, the user's
   * columns repeated): what every request with an access token reads, fresh, so revocation and role changes apply at once.
   * Bindings come directly (role_bindings) and through the user's groups (group_members → group_role_bindings); see
   * `access-query.ts` for the query, compiled once and reused.
   */
  async withAccess(id: string): Promise<SessionAccess | undefined> {
    this.accessQuery ??= compileAccessQuery(this.store);
    const rows = await runAccessQuery(this.store, this.accessQuery, id);
    if (rows.length === 0) return undefined;
    const { s_expires_at, s_revoked_at, b_tenant_id: _t, r_permissions: _p, ...user } = rows[0];
    return {
      session: { id, user_id: user.id, expires_at: s_expires_at, revoked_at: s_revoked_at },
      user,
      // A user without bindings gives one row with NULL role columns (permissions is NOT NULL in roles).
      bindings: rows.filter((r) => r.r_permissions !== null).map((r) => ({ tenant_id: r.b_tenant_id, permissions: r.r_permissions as string })),
    };
  }

  /** A refresh token by the hash of its secret. */
  async refreshToken(hash: string): Promise<RefreshTokenRow | undefined> {
    return this.store.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  /** Marks a refresh token used and adds its successor, only if nobody used it first (false = reuse, or a lost race). */
  async rotate(usedId: string, next: RefreshTokenRow, sessionId: string, now: string, expiresAt: string): Promise<boolean> {
    return this.store.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('refresh_tokens').set({ used_at: now }).where('id', '=', usedId).where('used_at', 'is', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      await trx.insertInto('refresh_tokens').values(next).execute();
      await trx.updateTable('sessions').set({ last_used_at: now, expires_at: expiresAt }).where('id', '=', sessionId).execute();
      return true;
    });
  }

  /** Revokes one session (no-op when already revoked). */
  async revoke(id: string, now: string, reason: string): Promise<boolean> {
    const res = await this.store.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Revokes every live session of a user, except `keep`; answers how many. */
  async revokeAll(userId: string, now: string, reason: string, keep?: string): Promise<number> {
    let q = this.store.db
      .updateTable('sessions')
      .set({ revoked_at: now, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now);
    if (keep) q = q.where('id', '!=', keep);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** Live sessions of a user, newest first, keyset-paged on id. */
  async listActive(userId: string, now: string, limit: number, before?: string): Promise<SessionRow[]> {
    let q = this.store.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (before) q = q.where('id', '<', before);
    return q.execute();
  }

  /** Updates when a session was last seen. */
  async touch(id: string, now: string): Promise<void> {
    await this.store.db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
