// Tenants with quotas and usage.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** One page of tenants (1000: enough for pickers and the admin table). */
export function useTenants(text?: string, enabled = true) {
  return useQuery({
    queryKey: keys.tenants.list({ text }),
    queryFn: () => api.call('tenants.list', { query: { limit: 1000, text: text || undefined } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Creates a tenant. */
export const useCreateTenant = () => useApiMutation('tenants.create', [keys.tenants.all]);
/** Renames a tenant or changes its quotas. */
export const useUpdateTenant = () => useApiMutation('tenants.update', [keys.tenants.all]);
/** Deletes an empty tenant. */
export const useDeleteTenant = () => useApiMutation('tenants.delete', [keys.tenants.all]);
