import { z } from 'zod';
import { Id, IdParams, Name, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';
import { User } from './user-schema';
import { RoleBinding, RoleBindingsInput } from './users';

/**
 * A group of users. Role bindings of a group apply to every member, as if bound to each. A tenant's group (`tenantId` set)
 * holds users of that tenant and carries bindings on that tenant only; a global group (`tenantId: null`) is managed by
 * global user administrators and may carry any binding.
 */
export const Group = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  tenantId: Id.nullable(),
  /** How many users are members. */
  members: z.number().int(),
  /** Role bindings every member gains through the group. */
  roles: z.array(RoleBinding),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A group as the API returns it. */
export type Group = z.infer<typeof Group>;

/** A member of a group: the user and when they were added. */
export const GroupMember = User.extend({ addedAt: Timestamp });
/** A group member. */
export type GroupMember = z.infer<typeof GroupMember>;

/** Filters of the group list. */
export const GroupListQuery = PageQuery.extend({
  /** Groups of this tenant only. */
  tenant: Id.optional(),
  /** Case-insensitive substring of the name. */
  name: z.string().min(1).max(200).optional(),
});

/** Body of `POST /api/v1/groups`. Without `tenantId` (or with null) the group is global, which needs `user:admin` globally. */
export const GroupCreate = z.strictObject({
  name: Name,
  description: z.string().max(500).default(''),
  tenantId: Id.nullable().default(null),
});

/** Body of `PATCH /api/v1/groups/{id}`; a group never moves between tenants. */
export const GroupPatch = z.strictObject({
  name: Name.optional(),
  description: z.string().max(500).optional(),
});

/** `{id}/members/{userId}` path parameters. */
export const GroupMemberParams = z.strictObject({ id: Id, userId: Id });

/** Group administration: same permissions as users (`user:read` to see, `user:admin` to change), scoped by the group's tenant. */
export const groupRoutes = {
  'groups.list': defineRoute({
    method: 'GET', path: '/api/v1/groups', access: 'user:read', tenantScoped: true, tag: 'groups',
    summary: 'Groups the caller may see (global groups only with user:read globally), oldest first',
    query: GroupListQuery, response: Page(Group),
  }),
  'groups.get': defineRoute({
    method: 'GET', path: '/api/v1/groups/{id}', access: 'user:read', tenantScoped: true, tag: 'groups',
    summary: 'One group with its role bindings', params: IdParams, response: Group,
  }),
  'groups.create': defineRoute({
    method: 'POST', path: '/api/v1/groups', access: 'user:admin', tenantScoped: true, status: 201, tag: 'groups',
    summary: 'Creates a group on a tenant the caller administers, or a global group (user:admin globally)',
    body: GroupCreate, response: Group,
  }),
  'groups.update': defineRoute({
    method: 'PATCH', path: '/api/v1/groups/{id}', access: 'user:admin', tenantScoped: true, tag: 'groups',
    summary: 'Renames a group or changes its description', params: IdParams, body: GroupPatch, response: Group,
  }),
  'groups.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/groups/{id}', access: 'user:admin', tenantScoped: true, status: 204, tag: 'groups',
    summary: 'Deletes a group with its memberships and role bindings (the caller must be able to grant its bindings)',
    params: IdParams, response: z.void(),
  }),
  'groups.members': defineRoute({
    method: 'GET', path: '/api/v1/groups/{id}/members', access: 'user:read', tenantScoped: true, tag: 'groups',
    summary: 'Members of a group, by user id', params: IdParams, query: PageQuery, response: Page(GroupMember),
  }),
  'groups.addMember': defineRoute({
    method: 'PUT', path: '/api/v1/groups/{id}/members/{userId}', access: 'user:admin', tenantScoped: true, tag: 'groups',
    summary: 'Adds a user to a group (idempotent); the caller must be able to grant every binding of the group (else PRIVILEGE_ESCALATION)',
    params: GroupMemberParams, response: GroupMember,
  }),
  'groups.removeMember': defineRoute({
    method: 'DELETE', path: '/api/v1/groups/{id}/members/{userId}', access: 'user:admin', tenantScoped: true, status: 204, tag: 'groups',
    summary: 'Removes a user from a group; NOT_FOUND when they are not a member', params: GroupMemberParams, response: z.void(),
  }),
  'groups.getRoles': defineRoute({
    method: 'GET', path: '/api/v1/groups/{id}/roles', access: 'user:read', tenantScoped: true, tag: 'groups',
    summary: 'Role bindings of a group', params: IdParams, response: z.array(RoleBinding),
  }),
  'groups.setRoles': defineRoute({
    method: 'PUT', path: '/api/v1/groups/{id}/roles', access: 'user:admin', tenantScoped: true, tag: 'groups',
    summary: 'Replaces the role bindings of a group (a tenant\'s group: on that tenant only); every added or removed binding must be one the caller could grant',
    params: IdParams, body: RoleBindingsInput, response: z.array(RoleBinding),
  }),
};
