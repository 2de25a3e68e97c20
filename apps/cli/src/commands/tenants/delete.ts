import { text } from '../../output';
import { defineCommand } from '../../registry';
import { resolveTenant } from '../../resolve';

/** `novacron tenants delete <tenant>`. */
export const tenantsDeleteCommand = defineCommand({
  path: ['tenants', 'delete'],
  summary: 'Delete a tenant that owns no users and no resources',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    const tenant = await resolveTenant(ctx.api, ctx.args[0]);
    await ctx.api.call('tenants.delete', { params: { id: tenant.id } });
    return text(undefined, `Deleted tenant ${tenant.name}`);
  },
});
