// User administration.
import type { z } from 'zod';
import type { UserListQuery } from '@novacron/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** Filters of the user list as the page holds them. */
export type UserFilters = Omit<z.input<typeof UserListQuery>, 'cursor'>;

/** One page of users. */
export function useUsers(filters: UserFilters, cursor?: string, enabled = true) {
  return useQuery({
    queryKey: keys.users.list({ ...filters, cursor }),
    queryFn: () => api.call('users.list', { query: { ...filters, cursor } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Creates a user. */
export const useCreateUser = () => useApiMutation('users.create', [keys.users.all, keys.tenants.all]);
/** Invites a user by email. */
export const useInviteUser = () => useApiMutation('users.invite', [keys.users.all]);
/** Renames, disables or moves a user. */
export const useUpdateUser = () => useApiMutation('users.update', [keys.users.all, keys.tenants.all]);
/** Deletes a user. */
export const useDeleteUser = () => useApiMutation('users.delete', [keys.users.all, keys.tenants.all]);
/** Turns a user's 2FA off. */
export const useResetUser2fa = () => useApiMutation('users.reset2fa', [keys.users.all]);
/** Replaces a user's role bindings. */
export const useSetUserRoles = () => useApiMutation('users.setRoles', [keys.users.all]);
