import { ApiError, type Permission } from '@novacron/api';
import { inScope, scopeOf, type Principal, type TenantScope } from '../auth/principal';

/**
 * The tenant a new resource goes to: the one named (which must be inside the caller's scope for `permission`, else it
 * does not exist for them), else the caller's home tenant, else their only tenant.
 */
export function targetTenant(p: Principal, permission: Permission, named: string | undefined): string {
  const scope = scopeOf(p, permission);
  if (named !== undefined) {
    if (!inScope(scope, named)) throw new ApiError('NOT_FOUND', `tenant ${named} not found`);
    return named;
  }
  if (inScope(scope, p.tenantId)) return p.tenantId;
  if (scope !== 'all' && scope.length === 1) return scope[0];
  throw new ApiError('BAD_REQUEST', `name the tenant: you may use ${permission} on several tenants but not on your own`);
}

/** The scope narrowed to one requested tenant (a list filter). */
export function narrow(scope: TenantScope, tenant: string | undefined): TenantScope {
  if (tenant === undefined) return scope;
  return inScope(scope, tenant) ? [tenant] : [];
}

/** Values for `where tenant_id in (...)`: an empty scope must match nothing. */
export function scopeValues(scope: string[]): string[] {
  return scope.length ? scope : [''];
}
