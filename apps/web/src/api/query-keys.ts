// Every TanStack Query key of the dashboard, in one place. The first element is the API collection name
// (`/api/v1/<collection>`), so an event about `/api/v1/users/u1` can invalidate ['users', ...] without a table per type.

/** Query keys by resource: `all` (everything of the resource), `list(filters)`, `detail(id)`. */
function resource<R extends string>(name: R) {
  return {
    all: [name] as const,
    lists: () => [name, 'list'] as const,
    list: (filters: object = {}) => [name, 'list', filters] as const,
    detail: (id: string) => [name, 'detail', id] as const,
  };
}

/** The query keys. */
export const keys = {
  authConfig: ['auth', 'config'] as const,
  me: ['auth', 'me'] as const,
  sessions: ['auth', 'sessions'] as const,
  tokens: resource('tokens'),
  users: resource('users'),
  groups: resource('groups'),
  roles: resource('roles'),
  permissions: ['permissions'] as const,
  tenants: resource('tenants'),
  audit: resource('audit'),
  auditVerify: ['audit', 'verify'] as const,
  settings: ['settings'] as const,
  operations: resource('operations'),
  health: ['health'] as const,
  vms: resource('vms'),
  nodes: resource('nodes'),
  images: resource('images'),
  storagePools: resource('storage-pools'),
  volumes: resource('volumes'),
  networks: resource('networks'),
};

/** The collection a resource path belongs to: `/api/v1/vms/abc` → `vms`. */
export function collectionOf(path: string): { collection: string; id?: string } | null {
  const m = /^\/api\/v1\/([a-z-]+)(?:\/([^/?#]+))?/.exec(path);
  return m ? { collection: m[1], id: m[2] } : null;
}
