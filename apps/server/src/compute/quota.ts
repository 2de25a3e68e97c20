import { ApiError, type TenantUsage } from '@novacron/api';
import type { TenantUsageProvider } from '../admin/tenant-usage';
import { Mutex } from '../lib/mutex';
import type { Store } from '../store/db';
import type { StorageRepository } from '../storage/storage.repository';
import type { VmRepository } from '../vms/vm.repository';

/** Bytes in a GiB. */
export const GiB = 1024 ** 3;

/** What a change adds to a tenant's usage. */
export type UsageDelta = Partial<TenantUsage>;

/** Real usage counts from the VM and volume tables: VMs, their vCPUs and memory, and provisioned volume GiB. */
export class ComputeUsageProvider implements TenantUsageProvider {
  constructor(
    private readonly vms: VmRepository,
    private readonly storage: StorageRepository,
  ) {}

  /** Usage of each given tenant (tenants without resources are absent). */
  async usage(tenantIds: readonly string[]): Promise<Map<string, TenantUsage>> {
    const out = new Map<string, TenantUsage>();
    const get = (t: string) => {
      let u = out.get(t);
      if (!u) out.set(t, (u = { vms: 0, vcpus: 0, memoryMiB: 0, diskGiB: 0 }));
      return u;
    };
    for (const r of await this.vms.usage(tenantIds)) Object.assign(get(r.tenant_id), { vms: r.vms, vcpus: r.vcpus, memoryMiB: r.memory });
    for (const r of await this.storage.usage(tenantIds)) get(r.tenant_id).diskGiB = Math.ceil(r.bytes / GiB);
    return out;
  }
}

const labels: Record<keyof TenantUsage, [string, string]> = {
  vms: ['VMs', ''],
  vcpus: ['vCPUs', ''],
  memoryMiB: ['memory', ' MiB'],
  diskGiB: ['disk', ' GiB'],
};

/** Enforces tenant quotas: checks and the write that uses the capacity happen under one per-tenant lock. */
export class QuotaGuard {
  private readonly locks = new Map<string, Mutex>();
  constructor(
    private readonly store: Store,
    private readonly usage: TenantUsageProvider,
  ) {}

  /** Runs `fn` while no other quota-checked change of the tenant runs in this process. */
  withTenant<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    let m = this.locks.get(tenantId);
    if (!m) this.locks.set(tenantId, (m = new Mutex()));
    return m.run(fn);
  }

  /** Throws QUOTA_EXCEEDED when adding `delta` would pass any quota of the tenant. */
  async check(tenantId: string, delta: UsageDelta): Promise<void> {
    const t = await this.store.db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
    if (!t) throw new ApiError('NOT_FOUND', `tenant ${tenantId} not found`);
    const quotas: Record<keyof TenantUsage, number | null> = { vms: t.quota_vms, vcpus: t.quota_vcpus, memoryMiB: t.quota_memory_mib, diskGiB: t.quota_disk_gib };
    const used = (await this.usage.usage([tenantId])).get(tenantId) ?? { vms: 0, vcpus: 0, memoryMiB: 0, diskGiB: 0 };
    const over: string[] = [];
    for (const key of Object.keys(labels) as (keyof TenantUsage)[]) {
      const add = delta[key] ?? 0;
      const limit = quotas[key];
      if (add <= 0 || limit === null || limit === undefined) continue;
      if (used[key] + add > Number(limit)) {
        const [name, unit] = labels[key];
        over.push(`${name}: ${used[key]}${unit} in use + ${add}${unit} requested > quota ${limit}${unit}`);
      }
    }
    if (over.length) throw new ApiError('QUOTA_EXCEEDED', `quota of tenant ${t.name} exceeded (${over.join('; ')})`);
  }
}
