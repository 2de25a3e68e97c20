import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import type { Store } from '../store/db';
import type { TenantRow } from '../store/schema';
import { escapeLike } from './store-errors';

/** Persistence of tenants, always filtered by the caller's scope. */
export class TenantRepository {
  constructor(private readonly store: Store) {}

  /** Oldest first, keyset-paged on id; `text` matches name or description, case-insensitively. */
  list(scope: TenantScope, opts: { limit: number; after?: string; text?: string }): Promise<TenantRow[]> {
    let q = this.store.db.selectFrom('tenants').selectAll().orderBy('id').limit(opts.limit + 1);
    if (scope !== 'all') q = q.where('id', 'in', scope.length ? scope : ['']);
    if (opts.after) q = q.where('id', '>', opts.after);
    if (opts.text) {
      const pattern = `%${escapeLike(opts.text.toLowerCase())}%`;
      q = q.where((eb) =>
        eb.or([sql<boolean>`lower(name) like ${pattern} escape '\\'`, sql<boolean>`lower(description) like ${pattern} escape '\\'`]),
      );
    }
    return q.execute();
  }

  /** One tenant, if it is inside the scope. */
  get(id: string, scope: TenantScope): Promise<TenantRow | undefined> {
    let q = this.store.db.selectFrom('tenants').selectAll().where('id', '=', id);
    if (scope !== 'all') q = q.where('id', 'in', scope.length ? scope : ['']);
    return q.executeTakeFirst();
  }

  /** A tenant by name (unscoped: for uniqueness checks). */
  byName(name: string): Promise<TenantRow | undefined> {
    return this.store.db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
  }

  /** Which of the given ids exist (unscoped). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.store.db.selectFrom('tenants').select('id').where('id', 'in', [...ids]).execute();
    return new Set(rows.map((r) => r.id));
  }

  /** Users per home tenant. */
  async userCounts(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.db
      .selectFrom('users')
      .select(['tenant_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', 'in', [...ids])
      .groupBy('tenant_id')
      .execute();
    return new Map(rows.map((r) => [r.tenant_id, Number(r.n)]));
  }

  async insert(row: TenantRow): Promise<void> {
    await this.store.db.insertInto('tenants').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<TenantRow, 'id' | 'created_at'>>): Promise<void> {
    await this.store.db.updateTable('tenants').set(patch).where('id', '=', id).execute();
  }

  /** Deletes a tenant if no user calls it home (checked in the same statement, so a concurrent create cannot slip in). */
  async deleteIfUnused(id: string): Promise<boolean> {
    const res = await this.store.db
      .deleteFrom('tenants')
      .where('id', '=', id)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('users').select('id').where('users.tenant_id', '=', id))))
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
