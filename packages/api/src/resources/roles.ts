import { z } from 'zod';
import { IdParams, Page, PageQuery, Timestamp } from '../common';
import { permissions, type Permission } from '../permissions';
import { defineRoute } from '../route';

/** What each permission allows, for `GET /api/v1/permissions` and the role editor. Typed so a new permission needs a description. */
export const permissionDescriptions: Record<Permission, string> = {
  'vm:read': 'See virtual machines, their specs, status and metrics',
  'vm:write': 'Create virtual machines and change their specs',
  'vm:power': 'Start, stop, reboot, pause and resume virtual machines',
  'vm:console': 'Open the graphical and serial consoles of virtual machines',
  'vm:delete': 'Delete virtual machines and their disks',
  'image:read': 'See images and templates',
  'image:write': 'Import, upload and change images',
  'image:delete': 'Delete images',
  'storage:read': 'See storage pools and volumes',
  'storage:write': 'Create, resize and change storage pools and volumes',
  'network:read': 'See networks',
  'network:write': 'Create and change networks',
  'node:read': 'See hypervisor nodes and their capacity',
  'node:admin': 'Add, drain, evacuate and remove hypervisor nodes',
  'operation:read': 'See async operations and wait for them',
  'operation:cancel': 'Cancel running operations',
  'user:read': 'See user accounts and their role bindings',
  'user:admin': 'Create, invite, change, disable and delete users and bind roles (never wider than the caller holds)',
  'role:read': 'See roles and the permission list',
  'role:admin': 'Create, change and delete custom roles',
  'tenant:read': 'See tenants, their quotas and usage',
  'tenant:admin': 'Create, change and delete tenants and their quotas',
  'token:write': 'Create and revoke own API tokens',
  'audit:read': 'Read the audit log (on a tenant: that tenant\'s entries; globally: all) and verify its hash chain',
  'settings:read': 'See system settings (secrets are never shown)',
  'settings:write': 'Change system settings and send test email',
  'metrics:read': 'Scrape and query system metrics',
};

/** One permission name, validated against the permission list. */
export const PermissionName = z.enum(permissions);

/** A permission and what it allows. */
export const PermissionInfo = z.object({ name: PermissionName, description: z.string(), globalOnly: z.boolean() });

/** A role: a named bundle of permissions. Built-in roles cannot be changed or deleted. */
export const Role = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(PermissionName),
  builtin: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A role as the API returns it. */
export type Role = z.infer<typeof Role>;

/** Role names: lower-case so bindings read well (`operator`, `net-admin`). */
export const RoleName = z.string().trim().min(1).max(63).regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash, underscore');

/** Body of `POST /api/v1/roles`. */
export const RoleCreate = z.strictObject({
  name: RoleName,
  description: z.string().max(500).default(''),
  permissions: z.array(PermissionName).max(permissions.length * 2),
});

/** Body of `PATCH /api/v1/roles/{id}`. */
export const RolePatch = z.strictObject({
  name: RoleName.optional(),
  description: z.string().max(500).optional(),
  permissions: z.array(PermissionName).max(permissions.length * 2).optional(),
});

/** Role administration routes. Roles are global: they are bound to users per tenant or globally. */
export const roleRoutes = {
  'permissions.list': defineRoute({
    method: 'GET', path: '/api/v1/permissions', access: 'role:read', summary: 'Every permission with what it allows', tag: 'roles',
    response: z.object({ items: z.array(PermissionInfo) }),
  }),
  'roles.list': defineRoute({
    method: 'GET', path: '/api/v1/roles', access: 'role:read', summary: 'Built-in and custom roles, oldest first', tag: 'roles',
    query: PageQuery, response: Page(Role),
  }),
  'roles.get': defineRoute({
    method: 'GET', path: '/api/v1/roles/{id}', access: 'role:read', summary: 'One role', tag: 'roles',
    params: IdParams, response: Role,
  }),
  'roles.create': defineRoute({
    method: 'POST', path: '/api/v1/roles', access: 'role:admin', status: 201, tag: 'roles',
    summary: 'Creates a custom role; its permissions must be ones the caller holds globally (else PRIVILEGE_ESCALATION)',
    body: RoleCreate, response: Role,
  }),
  'roles.update': defineRoute({
    method: 'PATCH', path: '/api/v1/roles/{id}', access: 'role:admin', tag: 'roles',
    summary: 'Changes a custom role; built-in roles answer INVALID_STATE',
    params: IdParams, body: RolePatch, response: Role,
  }),
  'roles.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/roles/{id}', access: 'role:admin', status: 204, tag: 'roles',
    summary: 'Deletes a custom role that nothing is bound to (else IN_USE); built-in roles answer INVALID_STATE',
    params: IdParams, response: z.void(),
  }),
};
