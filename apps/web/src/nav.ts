// The navigation: one entry per page. A page whose API does not exist yet is simply not listed;
// a new page (VMs, nodes, images, storage, networks) adds a line here and a lazy route in routes.tsx.
import type { Permission, RouteId } from '@novacron/api';
import { routes } from '@novacron/api';

/** One navigation entry. */
export interface NavItem {
  label: string;
  to: string;
  /** Shown only to users holding this permission somewhere. */
  permission?: Permission;
  /** Shown only when the API has this route (pages for features still being built stay hidden). */
  route: RouteId | string;
  section: 'main' | 'admin' | 'account';
}

/** Every page reachable from the navbar. */
export const navItems: NavItem[] = [
  { label: 'Overview', to: '/', route: 'auth.me', section: 'main' },
  { label: 'Virtual machines', to: '/vms', route: 'vms.list', permission: 'vm:read', section: 'main' },
  { label: 'Nodes', to: '/nodes', route: 'nodes.list', permission: 'node:read', section: 'main' },
  { label: 'Images', to: '/images', route: 'images.list', permission: 'image:read', section: 'main' },
  { label: 'Storage and networks', to: '/storage', route: 'storagePools.list', permission: 'storage:read', section: 'main' },
  { label: 'Operations', to: '/operations', route: 'operations.list', permission: 'operation:read', section: 'main' },
  { label: 'Users', to: '/admin/users', route: 'users.list', permission: 'user:read', section: 'admin' },
  { label: 'Groups', to: '/admin/groups', route: 'groups.list', permission: 'user:read', section: 'admin' },
  { label: 'Roles', to: '/admin/roles', route: 'roles.list', permission: 'role:read', section: 'admin' },
  { label: 'Tenants', to: '/admin/tenants', route: 'tenants.list', permission: 'tenant:read', section: 'admin' },
  { label: 'Audit log', to: '/admin/audit', route: 'audit.list', permission: 'audit:read', section: 'admin' },
  { label: 'Settings', to: '/admin/settings', route: 'settings.get', permission: 'settings:read', section: 'admin' },
  { label: 'Account', to: '/account', route: 'auth.me', section: 'account' },
];

/** Whether the API this build talks to has a route (the contract is compiled in, so this is the build's contract). */
export function hasRoute(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(routes, id);
}
