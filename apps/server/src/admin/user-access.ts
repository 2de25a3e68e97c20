import { ApiError, type FieldError } from '@novacron/api';
import { can, scopeOf, type Principal, type TenantScope } from '../auth/principal';
import { rolePermissions } from './role.repository';
import type { RoleRepository } from './role.repository';
import type { TenantRepository } from './tenant.repository';
import { mayGrant } from './grant-rules';
import type { BindingDetail } from './user-admin.repository';

/** A binding resolved to its role: what the rules and the store need. */
export interface ResolvedBinding {
  roleId: string;
  roleName: string;
  permissions: string;
  tenantId: string | null;
}

/** Tenants where the caller may at least see users (`user:read` or `user:admin`). */
export function userReadScope(actor: Principal): TenantScope {
  const read = scopeOf(actor, 'user:read');
  const admin = scopeOf(actor, 'user:admin');
  if (read === 'all' || admin === 'all') return 'all';
  return [...new Set([...read, ...admin])];
}

const key = (b: { roleId?: string; role_id?: string; tenantId?: string | null; tenant_id?: string | null }) =>
  `${b.roleId ?? b.role_id}\u0000${b.tenantId ?? b.tenant_id ?? ''}`;

/** Identity of a binding: role and tenant. */
export const bindingKey = key;

/** Throws PRIVILEGE_ESCALATION unless the caller may give (or take) every one of the bindings. */
export function assertMayGrant(actor: Principal, bindings: readonly ResolvedBinding[], verb: string): void {
  for (const b of bindings) {
    if (!mayGrant(actor, { permissions: rolePermissions(b), tenantId: b.tenantId })) {
      const where = b.tenantId === null ? 'globally' : `on tenant ${b.tenantId}`;
      throw new ApiError('PRIVILEGE_ESCALATION', `you cannot ${verb} role ${b.roleName} ${where}: it is wider than what you hold there (or you lack user:admin there)`);
    }
  }
}

/** Throws PRIVILEGE_ESCALATION unless the caller could have given every binding the target user holds: nobody manages someone mightier. */
export function assertCovers(actor: Principal, held: readonly BindingDetail[]): void {
  assertMayGrant(
    actor,
    held.map((b) => ({ roleId: b.role_id, roleName: b.role_name, permissions: b.permissions, tenantId: b.tenant_id })),
    'manage a user holding',
  );
}

/** Resolves `{role, tenantId}` inputs (role by name or id), de-duplicated; unknown roles or tenants are VALIDATION_FAILED. */
export async function resolveBindings(
  actor: Principal,
  inputs: readonly { role: string; tenantId: string | null }[],
  roles: RoleRepository,
  tenants: TenantRepository,
  field: string,
  /** Which of the resolved bindings the caller must be able to grant (all by default; `setRoles` passes only the added ones). */
  mustGrant: (b: ResolvedBinding) => boolean = () => true,
): Promise<ResolvedBinding[]> {
  const errors: FieldError[] = [];
  const out = new Map<string, ResolvedBinding>();
  for (const [i, input] of inputs.entries()) {
    const role = await roles.find(input.role);
    if (!role) {
      errors.push({ in: 'body', path: `${field}${i}.role`, message: `no role ${input.role}` });
      continue;
    }
    const b = { roleId: role.id, roleName: role.name, permissions: role.permissions, tenantId: input.tenantId };
    out.set(key(b), b);
  }
  if (errors.length) throw new ApiError('VALIDATION_FAILED', `invalid body: ${errors[0].path} ${errors[0].message}`, errors);
  const resolved = [...out.values()];
  // Privileges before existence: a tenant admin learns nothing about tenants it does not administer.
  assertMayGrant(actor, resolved.filter(mustGrant), 'grant');
  const wanted = [...new Set(resolved.map((b) => b.tenantId).filter((t): t is string => t !== null))];
  const found = await tenants.existing(wanted);
  for (const [i, input] of inputs.entries()) {
    if (input.tenantId !== null && !found.has(input.tenantId)) errors.push({ in: 'body', path: `${field}${i}.tenantId`, message: `no tenant ${input.tenantId}` });
  }
  if (errors.length) throw new ApiError('VALIDATION_FAILED', `invalid body: ${errors[0].path} ${errors[0].message}`, errors);
  return resolved;
}

/** Throws NOT_FOUND unless the caller holds `user:admin` on the tenant and it exists: users are only created or moved where one administers. */
export async function assertAdministeredTenant(actor: Principal, tenantId: string, tenants: TenantRepository): Promise<void> {
  if (!can(actor, 'user:admin', tenantId) || !(await tenants.existing([tenantId])).has(tenantId)) {
    throw new ApiError('NOT_FOUND', `tenant ${tenantId} not found`);
  }
}
