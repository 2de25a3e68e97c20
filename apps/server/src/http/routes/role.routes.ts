import { roleRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Roles and the permission list. Roles are global, so their audit entries belong to no tenant. */
export function roleHandlers(s: Services): Handlers<typeof roleRoutes> {
  const roles = s.admin.roles;
  return {
    'permissions.list': () => roles.permissionList(),
    'roles.list': ({ query }) => roles.list(query),
    'roles.get': ({ params }) => roles.get(params.id),
    'roles.create': async ({ body }, ctx) => {
      Object.assign(ctx.audit, { tenantId: null, details: { name: body.name, permissions: body.permissions } });
      const role = await roles.create(ctx.actor, body);
      ctx.audit.target = role.id;
      return role;
    },
    'roles.update': ({ params, body }, ctx) => {
      Object.assign(ctx.audit, { tenantId: null, details: { ...body } });
      return roles.update(ctx.actor, params.id, body);
    },
    'roles.delete': async ({ params }, ctx) => {
      ctx.audit.tenantId = null;
      await roles.delete(params.id);
    },
  };
}
