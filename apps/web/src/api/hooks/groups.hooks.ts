// Group administration: groups, their members and role bindings.
import type { z } from 'zod';
import type { GroupListQuery } from '@novacron/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** Filters of the group list as the page holds them. */
export type GroupFilters = Omit<z.input<typeof GroupListQuery>, 'cursor'>;

/** One page of groups. */
export function useGroups(filters: GroupFilters, cursor?: string) {
  return useQuery({
    queryKey: keys.groups.list({ ...filters, cursor }),
    queryFn: () => api.call('groups.list', { query: { ...filters, cursor } }),
    placeholderData: keepPreviousData,
  });
}

/** Members of a group (the first 1000; groups are meant to be browsed in a dialog). */
export function useGroupMembers(id: string | null) {
  return useQuery({
    queryKey: [...keys.groups.detail(id ?? ''), 'members'],
    queryFn: () => api.call('groups.members', { params: { id: id! }, query: { limit: 1000 } }),
    enabled: id !== null,
  });
}

// Membership and binding changes change what users may do: their lists and /auth/me are refetched too.
const affected = [keys.groups.all, keys.users.all, keys.me];

/** Creates a group. */
export const useCreateGroup = () => useApiMutation('groups.create', [keys.groups.all]);
/** Deletes a group with its memberships and bindings. */
export const useDeleteGroup = () => useApiMutation('groups.delete', affected);
/** Adds a user to a group. */
export const useAddGroupMember = () => useApiMutation('groups.addMember', affected);
/** Removes a user from a group. */
export const useRemoveGroupMember = () => useApiMutation('groups.removeMember', affected);
/** Replaces a group's role bindings. */
export const useSetGroupRoles = () => useApiMutation('groups.setRoles', affected);
