import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron whoami`: the signed-in user and what they may do. */
export const whoamiCommand = defineCommand({
  path: ['whoami'],
  summary: 'Show the signed-in user and their permissions',
  async run(ctx) {
    const me = await ctx.api.call('auth.me');
    const fields: Array<[string, unknown]> = [
      ['id', me.id],
      ['email', me.email],
      ['name', me.name],
      ['tenant', me.tenantId],
      ['via', me.via],
      ['2fa', me.totpEnabled],
      ['server', ctx.api.server],
      ['global permissions', me.permissions.global],
    ];
    for (const [tenant, perms] of Object.entries(me.permissions.tenants)) fields.push([`permissions on ${tenant}`, perms]);
    return record(me, fields);
  },
});
