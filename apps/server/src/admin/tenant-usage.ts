import type { TenantUsage } from '@novacron/api';

/** Counts what each tenant's resources use, for quotas and the tenants API. The compute module provides the real one. */
export interface TenantUsageProvider {
  /** Usage of each given tenant; tenants without resources may be missing from the map (they count as zero). */
  usage(tenantIds: readonly string[]): Promise<Map<string, TenantUsage>>;
}

/** Zero usage. */
export const ZERO_USAGE: TenantUsage = Object.freeze({ vms: 0, vcpus: 0, memoryMiB: 0, diskGiB: 0 });

/** Usage of one tenant from a provider's answer. */
export function usageOf(all: Map<string, TenantUsage>, tenantId: string): TenantUsage {
  return all.get(tenantId) ?? { ...ZERO_USAGE };
}
