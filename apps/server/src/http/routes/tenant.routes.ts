import { tenantRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Tenants with quotas and usage; each change is audited in the tenant it is about. */
export function tenantHandlers(s: Services): Handlers<typeof tenantRoutes> {
  const tenants = s.admin.tenants;
  return {
    'tenants.list': ({ query }, ctx) => tenants.list(ctx.actor, query),
    'tenants.get': ({ params }, ctx) => tenants.get(ctx.actor, params.id),
    'tenants.create': async ({ body }, ctx) => {
      ctx.audit.details = { name: body.name, quotas: body.quotas };
      const tenant = await tenants.create(body);
      Object.assign(ctx.audit, { tenantId: tenant.id, target: tenant.id });
      return tenant;
    },
    'tenants.update': ({ params, body }, ctx) => {
      Object.assign(ctx.audit, { tenantId: params.id, details: { ...body } });
      return tenants.update(ctx.actor, params.id, body);
    },
    'tenants.delete': async ({ params }, ctx) => {
      ctx.audit.tenantId = params.id;
      await tenants.delete(ctx.actor, params.id);
    },
  };
}
