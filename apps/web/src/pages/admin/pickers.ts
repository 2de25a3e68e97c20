// Options for tenant and role pickers, always fetched from the API (never a fixed list).
import { useRoles } from '../../api/hooks/roles.hooks';
import { useTenants } from '../../api/hooks/tenants.hooks';
import { useAuth } from '../../context/auth-context';

/** Tenants as select options, and a name lookup. Users without tenant:read see their own tenant by id. */
export function useTenantOptions() {
  const { can, me } = useAuth();
  const tenants = useTenants(undefined, can('tenant:read'));
  const items = tenants.data?.items ?? [];
  const options = items.length ? items.map((t) => ({ value: t.id, label: t.name })) : me ? [{ value: me.tenantId, label: me.tenantId }] : [];
  const nameOf = (id: string | null) => (id === null ? 'All tenants' : (items.find((t) => t.id === id)?.name ?? id));
  return { options, nameOf, isPending: tenants.isPending && can('tenant:read') };
}

/** Roles as select options (by name, which bindings use). */
export function useRoleOptions() {
  const { can } = useAuth();
  const roles = useRoles(can('role:read'));
  const options = (roles.data?.items ?? []).map((r) => ({ value: r.name, label: r.builtin ? `${r.name} (built-in)` : r.name }));
  return { options, roles: roles.data?.items ?? [], isPending: roles.isPending && can('role:read') };
}
