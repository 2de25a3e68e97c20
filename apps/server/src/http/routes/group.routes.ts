import { groupRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Group administration: thin handlers over the groups service; audit entries land in the group's tenant (none for global groups). */
export function groupHandlers(s: Services): Handlers<typeof groupRoutes> {
  const groups = s.admin.groups;
  return {
    'groups.list': ({ query }, ctx) => groups.list(ctx.actor, query),
    'groups.get': ({ params }, ctx) => groups.get(ctx.actor, params.id),
    'groups.create': async ({ body }, ctx) => {
      Object.assign(ctx.audit, { tenantId: body.tenantId, details: { name: body.name } });
      const group = await groups.create(ctx.actor, body);
      ctx.audit.target = group.id;
      return group;
    },
    'groups.update': async ({ params, body }, ctx) => {
      ctx.audit.details = { ...body };
      const group = await groups.update(ctx.actor, params.id, body);
      ctx.audit.tenantId = group.tenantId;
      return group;
    },
    'groups.delete': async ({ params }, ctx) => {
      const group = await groups.delete(ctx.actor, params.id);
      Object.assign(ctx.audit, { tenantId: group.tenantId, details: { name: group.name, members: group.members, roles: group.roles } });
    },
    'groups.members': ({ params, query }, ctx) => groups.members(ctx.actor, params.id, query),
    'groups.addMember': async ({ params }, ctx) => {
      const { group, member } = await groups.addMember(ctx.actor, params.id, params.userId);
      Object.assign(ctx.audit, { tenantId: group.tenant_id, details: { group: group.name, userId: member.id, email: member.email } });
      return member;
    },
    'groups.removeMember': async ({ params }, ctx) => {
      const { group, member } = await groups.removeMember(ctx.actor, params.id, params.userId);
      Object.assign(ctx.audit, { tenantId: group.tenant_id, details: { group: group.name, userId: member.id, email: member.email } });
    },
    'groups.getRoles': ({ params }, ctx) => groups.getRoles(ctx.actor, params.id),
    'groups.setRoles': async ({ params, body }, ctx) => {
      ctx.audit.details = { roles: body };
      const { group, before, roles } = await groups.setRoles(ctx.actor, params.id, body);
      Object.assign(ctx.audit, { tenantId: group.tenant_id, details: { group: group.name, before, roles } });
      return roles;
    },
  };
}
