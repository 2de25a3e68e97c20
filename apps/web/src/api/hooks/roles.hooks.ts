// Roles and the permission list.
import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** Every role (built-in and custom); roles are few, one page of 1000 holds them. */
export function useRoles(enabled = true) {
  return useQuery({ queryKey: keys.roles.list(), queryFn: () => api.call('roles.list', { query: { limit: 1000 } }), enabled });
}

/** Every permission with its description. */
export function usePermissionList(enabled = true) {
  return useQuery({ queryKey: keys.permissions, queryFn: () => api.call('permissions.list'), staleTime: Infinity, enabled });
}

/** Creates a custom role. */
export const useCreateRole = () => useApiMutation('roles.create', [keys.roles.all]);
/** Changes a custom role. */
export const useUpdateRole = () => useApiMutation('roles.update', [keys.roles.all, keys.me]);
/** Deletes a custom role. */
export const useDeleteRole = () => useApiMutation('roles.delete', [keys.roles.all]);
