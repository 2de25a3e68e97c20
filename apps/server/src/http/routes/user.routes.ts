import { userRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** User administration: thin handlers over the users service; audit entries land in the affected user's tenant. */
export function userHandlers(s: Services): Handlers<typeof userRoutes> {
  const users = s.admin.users;
  return {
    'users.list': ({ query }, ctx) => users.list(ctx.actor, query),
    'users.get': ({ params }, ctx) => users.get(ctx.actor, params.id),
    'users.create': async ({ body }, ctx) => {
      Object.assign(ctx.audit, { tenantId: body.tenantId, details: { email: body.email, roles: body.roles } });
      const user = await users.create(ctx.actor, body);
      ctx.audit.target = user.id;
      return user;
    },
    'users.invite': async ({ body }, ctx) => {
      Object.assign(ctx.audit, { tenantId: body.tenantId, target: body.email, details: { role: body.role } });
      const result = await s.admin.invites.invite(ctx.actor, body);
      ctx.audit.details = { role: result.role, emailSent: result.emailSent, expiresAt: result.expiresAt };
      return result;
    },
    'users.update': async ({ params, body }, ctx) => {
      ctx.audit.details = { ...body };
      const user = await users.update(ctx.actor, params.id, body);
      ctx.audit.tenantId = user.tenantId;
      return user;
    },
    'users.delete': async ({ params }, ctx) => {
      const user = await users.get(ctx.actor, params.id).catch(() => null);
      if (user) Object.assign(ctx.audit, { tenantId: user.tenantId, details: { email: user.email } });
      await users.delete(ctx.actor, params.id);
    },
    'users.reset2fa': async ({ params }, ctx) => {
      const user = await users.reset2fa(ctx.actor, params.id);
      ctx.audit.tenantId = user.tenantId;
      return user;
    },
    'users.getRoles': ({ params }, ctx) => users.getRoles(ctx.actor, params.id),
    'users.setRoles': async ({ params, body }, ctx) => {
      ctx.audit.details = { roles: body };
      const before = await users.get(ctx.actor, params.id).catch(() => null);
      if (before) Object.assign(ctx.audit, { tenantId: before.tenantId, details: { before: before.roles, roles: body } });
      return users.setRoles(ctx.actor, params.id, body);
    },
  };
}
