import { ApiError, type Tenant, type TenantCreate, type TenantPatch } from '@novacron/api';
import type { z } from 'zod';
import { scopeOf, inScope, type Principal } from '../auth/principal';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { TenantRow } from '../store/schema';
import { isForeignKeyViolation, isUniqueViolation } from './store-errors';
import { TenantRepository } from './tenant.repository';
import { usageOf, type TenantUsageProvider } from './tenant-usage';

/** Tenants with quotas and live usage. `tenant:read` on a tenant shows it; changes need `tenant:admin` on it. */
export class TenantService {
  constructor(
    private readonly repo: TenantRepository,
    private readonly usage: () => TenantUsageProvider,
    private readonly clock: Clock,
    /** Tenants that must stay (the `default` tenant registrations land in). */
    private readonly permanent: () => Promise<ReadonlySet<string>> = async () => new Set(),
  ) {}

  /** A page of the tenants the caller may read. */
  async list(actor: Principal, query: { limit: number; cursor?: string; text?: string }) {
    const rows = await this.repo.list(scopeOf(actor, 'tenant:read'), { limit: query.limit, after: decodeCursor(query.cursor), text: query.text });
    const page = toPage(rows, query.limit, (r) => r);
    return { items: await this.decorate(page.items), nextCursor: page.nextCursor };
  }

  /** One tenant the caller may read, or NOT_FOUND. */
  async get(actor: Principal, id: string): Promise<Tenant> {
    return (await this.decorate([await this.visible(actor, id)]))[0];
  }

  /** Creates a tenant; missing quotas are unlimited. */
  async create(body: z.output<typeof TenantCreate>): Promise<Tenant> {
    const now = this.clock.now().toISOString();
    const q = body.quotas;
    const row: TenantRow = {
      id: newId(), name: body.name, description: body.description,
      quota_vms: q.vms ?? null, quota_vcpus: q.vcpus ?? null, quota_memory_mib: q.memoryMiB ?? null, quota_disk_gib: q.diskGiB ?? null,
      created_at: now, updated_at: now,
    };
    if (await this.repo.byName(body.name)) throw new ApiError('ALREADY_EXISTS', `a tenant named ${body.name} exists`);
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a tenant named ${body.name} exists`);
      throw err;
    }
    return (await this.decorate([row]))[0];
  }

  /** Renames, describes or re-quotas a tenant; quotas are merged, null lifts one. */
  async update(actor: Principal, id: string, patch: z.output<typeof TenantPatch>): Promise<Tenant> {
    const row = await this.administered(actor, id);
    const next: Partial<TenantRow> = { updated_at: this.clock.now().toISOString() };
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.name !== undefined && patch.name !== row.name) {
      const clash = await this.repo.byName(patch.name);
      if (clash && clash.id !== row.id) throw new ApiError('ALREADY_EXISTS', `a tenant named ${patch.name} exists`);
      next.name = patch.name;
    }
    const q = patch.quotas;
    if (q?.vms !== undefined) next.quota_vms = q.vms;
    if (q?.vcpus !== undefined) next.quota_vcpus = q.vcpus;
    if (q?.memoryMiB !== undefined) next.quota_memory_mib = q.memoryMiB;
    if (q?.diskGiB !== undefined) next.quota_disk_gib = q.diskGiB;
    try {
      await this.repo.update(row.id, next);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a tenant named ${patch.name} exists`);
      throw err;
    }
    return this.get(actor, id);
  }

  /** Deletes a tenant that owns no users and no resources. */
  async delete(actor: Principal, id: string): Promise<void> {
    const row = await this.administered(actor, id);
    if ((await this.permanent()).has(row.id)) throw new ApiError('INVALID_STATE', `tenant ${row.name} is where registrations land and cannot be deleted`);
    const users = (await this.repo.userCounts([row.id])).get(row.id) ?? 0;
    if (users > 0) throw new ApiError('IN_USE', `tenant ${row.name} is the home of ${users} user(s); move or delete them first`);
    const usage = usageOf(await this.usage().usage([row.id]), row.id);
    if (usage.vms > 0 || usage.diskGiB > 0) throw new ApiError('IN_USE', `tenant ${row.name} owns ${usage.vms} VM(s) and ${usage.diskGiB} GiB of disks; delete them first`);
    let deleted: boolean;
    try {
      deleted = await this.repo.deleteIfUnused(row.id);
    } catch (err) {
      // Images, networks, volumes and whatever comes later refer to their tenant: the database knows best what is left.
      if (isForeignKeyViolation(err)) throw new ApiError('IN_USE', `tenant ${row.name} still owns resources (images, networks, volumes, ...); delete them first`);
      throw err;
    }
    if (!deleted) throw new ApiError('IN_USE', `tenant ${row.name} gained a user meanwhile`);
  }

  /** Whether the tenant exists (unscoped; for services that validate references after their own access checks). */
  async exists(ids: readonly string[]): Promise<Set<string>> {
    return this.repo.existing(ids);
  }

  private async visible(actor: Principal, id: string): Promise<TenantRow> {
    const row = await this.repo.get(id, scopeOf(actor, 'tenant:read'));
    if (!row) throw new ApiError('NOT_FOUND', `tenant ${id} not found`);
    return row;
  }

  private async administered(actor: Principal, id: string): Promise<TenantRow> {
    const row = await this.repo.get(id, scopeOf(actor, 'tenant:read'));
    const admin = inScope(scopeOf(actor, 'tenant:admin'), id);
    if (!row && !admin) throw new ApiError('NOT_FOUND', `tenant ${id} not found`);
    if (!admin) throw new ApiError('FORBIDDEN', `missing permission tenant:admin on tenant ${id}`);
    const found = row ?? (await this.repo.get(id, 'all'));
    if (!found) throw new ApiError('NOT_FOUND', `tenant ${id} not found`);
    return found;
  }

  private async decorate(rows: TenantRow[]): Promise<Tenant[]> {
    const ids = rows.map((r) => r.id);
    const [usage, users] = await Promise.all([this.usage().usage(ids), this.repo.userCounts(ids)]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      quotas: { vms: num(r.quota_vms), vcpus: num(r.quota_vcpus), memoryMiB: num(r.quota_memory_mib), diskGiB: num(r.quota_disk_gib) },
      usage: usageOf(usage, r.id),
      users: users.get(r.id) ?? 0,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}

const num = (v: number | null) => (v === null ? null : Number(v));
