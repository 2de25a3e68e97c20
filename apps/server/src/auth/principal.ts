import type { Permission } from '@novacron/api';

/** Who is calling: a signed-in user (JWT) or an API token, with what they may do where. */
export interface Principal {
  kind: 'user' | 'token';
  userId: string;
  email: string;
  /** The user's home tenant. */
  tenantId: string;
  sessionId?: string;
  tokenId?: string;
  /** Permissions granted on every tenant. */
  global: ReadonlySet<Permission>;
  /** Permissions granted on one tenant only. */
  byTenant: ReadonlyMap<string, ReadonlySet<Permission>>;
}

/** Whether the principal holds `permission` on `tenantId` (or anywhere, when no tenant is given). */
export function can(p: Principal, permission: Permission, tenantId?: string | null): boolean {
  if (p.global.has(permission)) return true;
  if (tenantId === undefined) {
    for (const perms of p.byTenant.values()) if (perms.has(permission)) return true;
    return false;
  }
  if (tenantId === null) return false;
  return p.byTenant.get(tenantId)?.has(permission) ?? false;
}

/** The tenants on which the principal holds `permission`: every one (`all`) or a list. Repositories filter by it. */
export type TenantScope = 'all' | string[];

/** Scope of tenants where `permission` is held. */
export function scopeOf(p: Principal, permission: Permission): TenantScope {
  if (p.global.has(permission)) return 'all';
  return [...p.byTenant].filter(([, perms]) => perms.has(permission)).map(([t]) => t);
}

/** Whether a row of `tenantId` lies inside a scope. */
export function inScope(scope: TenantScope, tenantId: string | null): boolean {
  return scope === 'all' || (tenantId !== null && scope.includes(tenantId));
}

/** Every permission held anywhere (for `/auth/me` and the UI). */
export function allPermissions(p: Principal): Permission[] {
  const set = new Set<Permission>(p.global);
  for (const perms of p.byTenant.values()) for (const x of perms) set.add(x);
  return [...set].sort();
}
