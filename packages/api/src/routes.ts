import { vmRoutes } from './resources/vms';
import { storageRoutes } from './resources/storage';
import { nodeRoutes } from './resources/nodes';
import { networkRoutes } from './resources/networks';
import { imageRoutes } from './resources/images';
import { auditRoutes } from './resources/audit';
import { authRoutes } from './resources/auth';
import { operationRoutes } from './resources/operations';
import { roleRoutes } from './resources/roles';
import { settingsRoutes } from './resources/settings';
import { systemRoutes } from './resources/system';
import { tenantRoutes } from './resources/tenants';
import { tokenRoutes } from './resources/tokens';
import { userRoutes } from './resources/users';
import { groupRoutes } from './resources/groups';

/** The route table: every JSON route of the API, keyed by operation id. One line per resource module. */
export const routes = {
  ...systemRoutes,
  ...operationRoutes,
  ...settingsRoutes,
  ...authRoutes,
  ...tokenRoutes,
  ...userRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...tenantRoutes,
  ...auditRoutes,
  ...nodeRoutes,
  ...vmRoutes,
  ...imageRoutes,
  ...storageRoutes,
  ...networkRoutes,
};

/** Operation ids of all routes. */
export type RouteId = keyof typeof routes;
/** The type of the route table. */
export type Routes = typeof routes;
