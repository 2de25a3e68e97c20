import type { Store } from '../store/db';
import type { ApiTokenRow } from '../store/schema';

/** API tokens: stored as the SHA-256 of their secret. */
export class ApiTokenRepository {
  constructor(private readonly store: Store) {}

  /** Inserts a token. */
  async insert(row: ApiTokenRow): Promise<void> {
    await this.store.db.insertInto('api_tokens').values(row).execute();
  }

  /** A token by the hash of its secret. */
  async byHash(hash: string): Promise<ApiTokenRow | undefined> {
    return this.store.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  /** A user's tokens that are not revoked, with role names, newest first, keyset-paged on id. */
  async listForUser(userId: string, limit: number, before?: string) {
    let q = this.store.db
      .selectFrom('api_tokens as t')
      .innerJoin('roles as r', 'r.id', 't.role_id')
      .selectAll('t')
      .select('r.name as role_name')
      .where('t.user_id', '=', userId)
      .where('t.revoked_at', 'is', null)
      .orderBy('t.id', 'desc')
      .limit(limit + 1);
    if (before) q = q.where('t.id', '<', before);
    return q.execute();
  }

  /** Revokes a token of a user; false when there is no such live token. */
  async revoke(id: string, userId: string, now: string): Promise<boolean> {
    const res = await this.store.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Records when a token was last used. */
  async touch(id: string, now: string): Promise<void> {
    await this.store.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }
}
