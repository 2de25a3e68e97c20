/** Every permission: a verb on a resource. Roles bundle these. */
export const permissions = [
  'vm:read', 'vm:write', 'vm:power', 'vm:console', 'vm:delete',
  'image:read', 'image:write', 'image:delete',
  'storage:read', 'storage:write',
  'network:read', 'network:write',
  'node:read', 'node:admin',
  'operation:read', 'operation:cancel',
  'user:read', 'user:admin',
  'role:read', 'role:admin',
  'tenant:read', 'tenant:admin',
  'token:write',
  'audit:read',
  'settings:read', 'settings:write',
  'metrics:read',
] as const;

/** One permission such as `vm:power`. */
export type Permission = (typeof permissions)[number];

/**
 * Permissions that only make sense globally (not bound to one tenant). `user:admin` is not among them: bound on a tenant it
 * makes a tenant admin, who manages that tenant's users with roles no wider than its own there (the users service scopes it).
 */
export const globalOnlyPermissions: readonly Permission[] = [
  'node:admin', 'role:admin', 'tenant:admin', 'settings:read', 'settings:write', 'metrics:read',
];

const readOnly = permissions.filter((p) => p.endsWith(':read') && p !== 'audit:read' && p !== 'metrics:read');

/** Built-in roles; they cannot be edited or deleted. */
export const builtinRoles: Record<string, { description: string; permissions: readonly Permission[] }> = {
  admin: { description: 'Everything, everywhere', permissions },
  operator: {
    description: 'Runs VMs, images, storage and networks; no user or system administration',
    permissions: [
      ...readOnly,
      'vm:write', 'vm:power', 'vm:console', 'vm:delete',
      'image:write', 'image:delete', 'storage:write', 'network:write', 'operation:cancel', 'token:write',
    ],
  },
  viewer: { description: 'Reads everything it is bound to', permissions: [...readOnly, 'token:write'] },
  auditor: { description: 'Reads the audit log and everything else', permissions: [...readOnly, 'audit:read'] },
};
