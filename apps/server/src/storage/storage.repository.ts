import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import { escapeLike } from '../admin/store-errors';
import { scopeValues } from '../compute/tenancy';
import type { Store } from '../store/db';
import type { StoragePoolRow, VolumeRow } from '../store/compute-schema';

/** Persistence of storage pools (global) and volumes (tenant-owned, every read scoped). */
export class StorageRepository {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  async pool(idOrName: string): Promise<StoragePoolRow | undefined> {
    return this.db.selectFrom('storage_pools').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])).executeTakeFirst();
  }

  async pools(limit: number, after?: string): Promise<StoragePoolRow[]> {
    let q = this.db.selectFrom('storage_pools').selectAll().orderBy('id').limit(limit + 1);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  }

  async allPools(): Promise<StoragePoolRow[]> {
    return this.db.selectFrom('storage_pools').selectAll().orderBy('id').execute();
  }

  async insertPool(row: StoragePoolRow): Promise<void> {
    await this.db.insertInto('storage_pools').values(row).execute();
  }

  async updatePool(id: string, patch: Partial<StoragePoolRow>): Promise<void> {
    await this.db.updateTable('storage_pools').set(patch).where('id', '=', id).execute();
  }

  async deletePool(id: string): Promise<void> {
    await this.db.deleteFrom('storage_pools').where('id', '=', id).execute();
  }

  /** Volume count and provisioned bytes per pool. */
  async poolUsage(): Promise<Map<string, { volumes: number; bytes: number }>> {
    const rows = await this.db
      .selectFrom('volumes')
      .select(['pool_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('size_bytes').as('bytes')])
      .groupBy('pool_id')
      .execute();
    return new Map(rows.map((r) => [r.pool_id, { volumes: Number(r.n), bytes: Number(r.bytes ?? 0) }]));
  }

  async volume(id: string, scope: TenantScope): Promise<VolumeRow | undefined> {
    let q = this.db.selectFrom('volumes').selectAll().where('id', '=', id);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scopeValues(scope));
    return q.executeTakeFirst();
  }

  async volumesByIds(ids: string[]): Promise<VolumeRow[]> {
    if (!ids.length) return [];
    return this.db.selectFrom('volumes').selectAll().where('id', 'in', ids).execute();
  }

  /** Newest first, keyset-paged on id. */
  async volumes(scope: TenantScope, f: { limit: number; before?: string; pool?: string; state?: string; text?: string }): Promise<VolumeRow[]> {
    let q = this.db.selectFrom('volumes').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scopeValues(scope));
    if (f.before) q = q.where('id', '<', f.before);
    if (f.pool) q = q.where('pool_id', '=', f.pool);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.text) q = q.where(sql`lower(name)`, 'like', sql`${`%${escapeLike(f.text.toLowerCase())}%`} escape '\\'`);
    return q.execute();
  }

  async volumeNameTaken(tenantId: string, name: string): Promise<boolean> {
    return (await this.db.selectFrom('volumes').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  async insertVolume(row: VolumeRow): Promise<void> {
    await this.db.insertInto('volumes').values(row).execute();
  }

  async updateVolume(id: string, patch: Partial<VolumeRow>): Promise<void> {
    await this.db.updateTable('volumes').set(patch).where('id', '=', id).execute();
  }

  async deleteVolume(id: string): Promise<void> {
    await this.db.deleteFrom('volumes').where('id', '=', id).execute();
  }

  /** Volumes whose create a previous process did not finish. */
  async deleteCreating(): Promise<void> {
    await this.db.deleteFrom('volumes').where('state', '=', 'creating').execute();
  }

  /** Volumes that are qcow2 overlays on this one (it cannot go while they exist). */
  async overlaysOf(volumeId: string): Promise<number> {
    return (await this.db.selectFrom('volumes').select('id').where('backing_volume_id', '=', volumeId).execute()).length;
  }

  /** Volumes made from an image (they may be overlays on it). */
  async fromImage(imageId: string): Promise<number> {
    return (await this.db.selectFrom('volumes').select('id').where('source_image_id', '=', imageId).execute()).length;
  }

  /** Volumes owned by a VM (made for it, deleted with it). */
  async ownedBy(vmId: string): Promise<VolumeRow[]> {
    return this.db.selectFrom('volumes').selectAll().where('owner_vm_id', '=', vmId).execute();
  }

  /** Volumes attached to a VM. */
  async attachedTo(vmId: string): Promise<VolumeRow[]> {
    return this.db.selectFrom('volumes').selectAll().where('attached_vm_id', '=', vmId).execute();
  }

  /** Provisioned bytes per tenant (for quotas). */
  async usage(tenantIds: readonly string[]): Promise<{ tenant_id: string; bytes: number }[]> {
    if (!tenantIds.length) return [];
    const rows = await this.db
      .selectFrom('volumes')
      .select(['tenant_id', (eb) => eb.fn.sum<number>('size_bytes').as('bytes')])
      .where('tenant_id', 'in', [...tenantIds])
      .groupBy('tenant_id')
      .execute();
    return rows.map((r) => ({ tenant_id: r.tenant_id, bytes: Number(r.bytes ?? 0) }));
  }
}
