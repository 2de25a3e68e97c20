import { globalOnlyPermissions, permissions as allKnown, type Permission } from '@novacron/api';
import type { ApiTokenRow, RoleRow, UserRow } from '../store/schema';
import type { AccountRepository, BindingWithPermissions } from './account.repository';
import type { Principal } from './principal';

const known = new Set<string>(allKnown);
const globalOnly = new Set<Permission>(globalOnlyPermissions);

function parsePermissions(json: string): Permission[] {
  try {
    const list = JSON.parse(json);
    // Unknown strings (a permission removed in a later version) are dropped rather than trusted.
    return Array.isArray(list) ? list.filter((p): p is Permission => typeof p === 'string' && known.has(p)) : [];
  } catch {
    return [];
  }
}

/** Permissions from role bindings: global bindings grant everywhere; tenant bindings grant on their tenant, minus global-only permissions. */
export function permissionsFromBindings(bindings: Pick<BindingWithPermissions, 'tenant_id' | 'permissions'>[]): Pick<Principal, 'global' | 'byTenant'> {
  const global = new Set<Permission>();
  const byTenant = new Map<string, Set<Permission>>();
  for (const b of bindings) {
    const perms = parsePermissions(b.permissions);
    if (b.tenant_id === null) {
      for (const p of perms) global.add(p);
      continue;
    }
    // `node:admin` or `user:admin` bound on one tenant would pass route checks that ask "held anywhere?": never grant them per tenant.
    const set = byTenant.get(b.tenant_id) ?? new Set<Permission>();
    for (const p of perms) if (!globalOnly.has(p)) set.add(p);
    byTenant.set(b.tenant_id, set);
  }
  return { global, byTenant };
}

/** The permissions of a token: its role on its scope, intersected with what the owner holds there now. */
export function permissionsForToken(owner: Pick<Principal, 'global' | 'byTenant'>, role: Permission[], tenantId: string | null): Pick<Principal, 'global' | 'byTenant'> {
  const want = new Set(role);
  const global = new Set<Permission>();
  const byTenant = new Map<string, Set<Permission>>();
  if (tenantId === null) {
    for (const p of owner.global) if (want.has(p)) global.add(p);
    for (const [t, perms] of owner.byTenant) {
      const set = new Set([...perms].filter((p) => want.has(p)));
      if (set.size) byTenant.set(t, set);
    }
  } else {
    const held = new Set([...owner.global, ...(owner.byTenant.get(tenantId) ?? [])]);
    const set = new Set([...want].filter((p) => held.has(p) && !globalOnly.has(p)));
    if (set.size) byTenant.set(tenantId, set);
  }
  return { global, byTenant };
}

/** A signed-in user's principal from bindings the caller has just read (the authenticator reads them with the session). */
export function userPrincipal(user: Pick<UserRow, 'id' | 'email' | 'tenant_id'>, bindings: Pick<BindingWithPermissions, 'tenant_id' | 'permissions'>[], sessionId?: string): Principal {
  return { kind: 'user', userId: user.id, email: user.email, tenantId: user.tenant_id, sessionId, ...permissionsFromBindings(bindings) };
}

/** Builds principals from the database, fresh on every request so role changes and revocations apply at once. */
export class PrincipalLoader {
  constructor(private readonly accounts: AccountRepository) {}

  /** A signed-in user's principal. */
  async forUser(user: UserRow, sessionId?: string): Promise<Principal> {
    return userPrincipal(user, await this.accounts.bindings(user.id), sessionId);
  }

  /** An API token's principal: never more than the owner currently holds. */
  async forToken(token: ApiTokenRow, role: RoleRow, owner: UserRow): Promise<Principal> {
    const ownerPerms = permissionsFromBindings(await this.accounts.bindings(owner.id));
    const perms = permissionsForToken(ownerPerms, parsePermissions(role.permissions), token.tenant_id);
    return { kind: 'token', userId: owner.id, email: owner.email, tenantId: owner.tenant_id, tokenId: token.id, ...perms };
  }
}

/** A principal's permissions as `/auth/me` shows them. */
export function permissionsView(p: Pick<Principal, 'global' | 'byTenant'>): { global: Permission[]; tenants: Record<string, Permission[]> } {
  const tenants: Record<string, Permission[]> = {};
  for (const [t, perms] of p.byTenant) if (perms.size) tenants[t] = [...perms].sort();
  return { global: [...p.global].sort(), tenants };
}

/** Role permissions as stored (JSON), parsed and filtered to known ones. */
export function rolePermissions(role: Pick<RoleRow, 'permissions'>): Permission[] {
  return parsePermissions(role.permissions);
}
