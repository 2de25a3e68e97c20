import type { Store } from '../store/db';
import type { OneTimeTokenRow } from '../store/schema';

/** Single-use tokens (reset, verification, invite, setup), stored as the SHA-256 of their secret. */
export class OneTimeTokenRepository {
  constructor(private readonly store: Store) {}

  /** Inserts a token. */
  async insert(row: OneTimeTokenRow): Promise<void> {
    await this.store.db.insertInto('one_time_tokens').values(row).execute();
  }

  /** A token of a kind by hash. */
  async byHash(kind: string, hash: string): Promise<OneTimeTokenRow | undefined> {
    return this.store.db.selectFrom('one_time_tokens').selectAll().where('kind', '=', kind).where('token_hash', '=', hash).executeTakeFirst();
  }

  /** Marks a token used only if it still is unused and unexpired; false = someone else used it, or it expired. */
  async markUsed(id: string, now: string): Promise<boolean> {
    const res = await this.store.db
      .updateTable('one_time_tokens')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Invalidates unused tokens of a kind (for a user, or all of the kind): a new reset link voids older ones. */
  async invalidate(kind: string, now: string, userId?: string): Promise<void> {
    let q = this.store.db.updateTable('one_time_tokens').set({ used_at: now }).where('kind', '=', kind).where('used_at', 'is', null);
    if (userId) q = q.where('user_id', '=', userId);
    await q.execute();
  }
}
