import { globalOnlyPermissions, type Permission } from '@novacron/api';
import type { Principal } from '../auth/principal';

/** A binding as the rules see it: the role's permissions and where they apply (null = every tenant). */
export interface GrantTarget {
  permissions: readonly Permission[];
  tenantId: string | null;
}

/** Permissions the principal holds on one tenant, or globally when `tenantId` is null. */
export function heldOn(p: Principal, tenantId: string | null): Set<Permission> {
  const held = new Set<Permission>(p.global);
  if (tenantId !== null) for (const x of p.byTenant.get(tenantId) ?? []) held.add(x);
  return held;
}

const globalOnly = new Set<Permission>(globalOnlyPermissions);

/** What a binding really grants: a role bound on one tenant loses its global-only permissions (as the principal loader does). */
export function effectivePermissions(target: GrantTarget): Permission[] {
  return target.tenantId === null ? [...target.permissions] : target.permissions.filter((x) => !globalOnly.has(x));
}

/**
 * Whether the principal may give (or take away) a binding: it needs `user:admin` where the binding applies and every
 * permission of the role there. A global binding therefore needs `user:admin` and the role's permissions globally.
 */
export function mayGrant(p: Principal, target: GrantTarget): boolean {
  const held = heldOn(p, target.tenantId);
  return held.has('user:admin') && effectivePermissions(target).every((x) => held.has(x));
}

/** The permissions of `wanted` the principal does not hold globally (roles are global objects, so global is the yardstick). */
export function missingGlobally(p: Principal, wanted: readonly Permission[]): Permission[] {
  return wanted.filter((x) => !p.global.has(x));
}
