import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import { escapeLike } from '../admin/store-errors';
import { scopeValues } from '../compute/tenancy';
import type { Store } from '../store/db';
import type { ImageRow } from '../store/compute-schema';

/** Persistence of the image library; every read is tenant-scoped. */
export class ImageRepository {
  constructor(private readonly store: Store) {}

  async get(id: string, scope: TenantScope): Promise<ImageRow | undefined> {
    let q = this.store.db.selectFrom('images').selectAll().where('id', '=', id);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scopeValues(scope));
    return q.executeTakeFirst();
  }

  /** Newest first, keyset-paged on id. */
  async list(scope: TenantScope, f: { limit: number; before?: string; kind?: string; status?: string; text?: string }): Promise<ImageRow[]> {
    let q = this.store.db.selectFrom('images').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scopeValues(scope));
    if (f.before) q = q.where('id', '<', f.before);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.text) q = q.where(sql`lower(name)`, 'like', sql`${`%${escapeLike(f.text.toLowerCase())}%`} escape '\\'`);
    return q.execute();
  }

  async nameTaken(tenantId: string, name: string): Promise<boolean> {
    return (await this.store.db.selectFrom('images').select('id').where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  async insert(row: ImageRow): Promise<void> {
    await this.store.db.insertInto('images').values(row).execute();
  }

  async update(id: string, patch: Partial<ImageRow>): Promise<void> {
    await this.store.db.updateTable('images').set(patch).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.store.db.deleteFrom('images').where('id', '=', id).execute();
  }

  /** Imports that a previous process left unfinished: their operations failed, so the rows go too. */
  async deleteImporting(): Promise<number> {
    const res = await this.store.db.deleteFrom('images').where('status', '=', 'importing').executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
