import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import { escapeLike } from '../admin/store-errors';
import { scopeValues } from '../compute/tenancy';
import type { Store } from '../store/db';
import type { NetworkRow } from '../store/compute-schema';

/** Persistence of networks. Shared networks (tenant null) are visible to everyone with network:read. */
export class NetworkRepository {
  constructor(private readonly store: Store) {}

  async get(idOrName: string, scope: TenantScope): Promise<NetworkRow | undefined> {
    let q = this.store.db.selectFrom('networks').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]));
    if (scope !== 'all') q = q.where((eb) => eb.or([eb('tenant_id', 'is', null), eb('tenant_id', 'in', scopeValues(scope))]));
    return q.executeTakeFirst();
  }

  async byIds(ids: string[]): Promise<NetworkRow[]> {
    if (!ids.length) return [];
    return this.store.db.selectFrom('networks').selectAll().where('id', 'in', ids).execute();
  }

  async list(scope: TenantScope, f: { limit: number; after?: string; text?: string }): Promise<NetworkRow[]> {
    let q = this.store.db.selectFrom('networks').selectAll().orderBy('id').limit(f.limit + 1);
    if (scope !== 'all') q = q.where((eb) => eb.or([eb('tenant_id', 'is', null), eb('tenant_id', 'in', scopeValues(scope))]));
    if (f.after) q = q.where('id', '>', f.after);
    if (f.text) q = q.where(sql`lower(name)`, 'like', sql`${`%${escapeLike(f.text.toLowerCase())}%`} escape '\\'`);
    return q.execute();
  }

  async insert(row: NetworkRow): Promise<void> {
    await this.store.db.insertInto('networks').values(row).execute();
  }

  async delete(id: string): Promise<void> {
    await this.store.db.deleteFrom('networks').where('id', '=', id).execute();
  }

  async nicCounts(ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await this.store.db.selectFrom('vm_nics').select(['network_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('network_id', 'in', ids).groupBy('network_id').execute();
    return new Map(rows.map((r) => [r.network_id, Number(r.n)]));
  }
}
