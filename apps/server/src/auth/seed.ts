import { builtinRoles } from '@novacron/api';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { TenantRow } from '../store/schema';
import type { AccountRepository } from './account.repository';

/** Name of the tenant created on first start. */
export const DEFAULT_TENANT = 'default';

/** Creates the built-in roles (or brings their permissions up to date) and the default tenant. Safe to run at every start. */
export async function seed(accounts: AccountRepository, clock: Clock): Promise<{ defaultTenantId: string }> {
  const now = clock.now().toISOString();
  for (const [name, def] of Object.entries(builtinRoles)) {
    const permissions = JSON.stringify([...def.permissions].sort());
    const existing = await accounts.roleByNameOrId(name);
    if (!existing) {
      try {
        await accounts.insertRole({ id: newId(), name, description: def.description, permissions, builtin: 1, created_at: now, updated_at: now });
      } catch (err) {
        // Another replica seeded the same role a moment ago: theirs is as good as ours.
        if (!(await accounts.roleByNameOrId(name))) throw err;
      }
    } else if (existing.permissions !== permissions || existing.description !== def.description || !Number(existing.builtin)) {
      // A new version may add permissions to a built-in role; built-ins always match the code.
      await accounts.updateRole(existing.id, { permissions, description: def.description, builtin: 1, updated_at: now });
    }
  }
  return { defaultTenantId: (await ensureTenant(accounts, DEFAULT_TENANT, clock, 'Created at first start')).id };
}

/** The tenant of that name, created if missing. */
export async function ensureTenant(accounts: AccountRepository, name: string, clock: Clock, description = ''): Promise<TenantRow> {
  const existing = await accounts.tenantByName(name);
  if (existing) return existing;
  const now = clock.now().toISOString();
  const row: TenantRow = {
    id: newId(), name, description, quota_vms: null, quota_vcpus: null, quota_memory_mib: null, quota_disk_gib: null, created_at: now, updated_at: now,
  };
  try {
    await accounts.insertTenant(row);
    return row;
  } catch (err) {
    const raced = await accounts.tenantByName(name);
    if (raced) return raced;
    throw err;
  }
}
