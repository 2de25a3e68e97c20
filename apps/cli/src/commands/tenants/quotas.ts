import type { Quotas, Tenant } from '@novacron/api';
import { UsageError } from '../../exit-codes';
import { col, shortTime, type Column } from '../../output';
import type { FlagSpec, FlagValues } from '../../registry';

const quotaFlagNames = { 'quota-vms': 'vms', 'quota-vcpus': 'vcpus', 'quota-memory-mib': 'memoryMiB', 'quota-disk-gib': 'diskGiB' } as const;

/** `--quota-vms N` etc.; `unlimited` lifts a quota. */
export const quotaFlags: Record<string, FlagSpec> = {
  'quota-vms': { type: 'string', value: 'N|unlimited', description: 'Most VMs the tenant may have' },
  'quota-vcpus': { type: 'string', value: 'N|unlimited', description: 'Most vCPUs over all its VMs' },
  'quota-memory-mib': { type: 'string', value: 'N|unlimited', description: 'Most memory over all its VMs, MiB' },
  'quota-disk-gib': { type: 'string', value: 'N|unlimited', description: 'Most disk over all its VMs, GiB' },
};

/** The quotas given on the command line (only those given). */
export function quotasFromFlags(flags: FlagValues): Partial<Quotas> {
  const out: Partial<Record<keyof Quotas, number | null>> = {};
  for (const [flag, key] of Object.entries(quotaFlagNames)) {
    const v = flags[flag];
    if (typeof v !== 'string') continue;
    if (v === 'unlimited' || v === 'none') out[key] = null;
    else if (/^\d+$/.test(v) && Number(v) <= 2 ** 31 - 1) out[key] = Number(v);
    else throw new UsageError(`--${flag}: must be a whole number or "unlimited", not ${v}`);
  }
  return out;
}

function usage(used: number, limit: number | null): string {
  return `${used}/${limit ?? '∞'}`;
}

/** Columns of the tenant table: usage against quota. */
export const tenantColumns: Column<Tenant>[] = [
  col('id', (t) => t.id),
  col('name', (t) => t.name),
  col('users', (t) => t.users),
  col('vms', (t) => usage(t.usage.vms, t.quotas.vms)),
  col('vcpus', (t) => usage(t.usage.vcpus, t.quotas.vcpus)),
  col('memory mib', (t) => usage(t.usage.memoryMiB, t.quotas.memoryMiB)),
  col('disk gib', (t) => usage(t.usage.diskGiB, t.quotas.diskGiB)),
  col('description', (t) => t.description),
];

/** Fields of one tenant. */
export function tenantFields(t: Tenant): Array<[string, unknown]> {
  return [
    ['id', t.id],
    ['name', t.name],
    ['description', t.description],
    ['users', t.users],
    ['vms (used/quota)', usage(t.usage.vms, t.quotas.vms)],
    ['vcpus', usage(t.usage.vcpus, t.quotas.vcpus)],
    ['memory MiB', usage(t.usage.memoryMiB, t.quotas.memoryMiB)],
    ['disk GiB', usage(t.usage.diskGiB, t.quotas.diskGiB)],
    ['created', shortTime(t.createdAt)],
    ['updated', shortTime(t.updatedAt)],
  ];
}
