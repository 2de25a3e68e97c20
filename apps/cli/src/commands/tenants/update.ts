import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';
import { resolveTenant } from '../../resolve';
import { quotaFlags, quotasFromFlags, tenantFields } from './quotas';

/** `novacron tenants update <tenant> [--name] [--description] [--quota-...]`. */
export const tenantsUpdateCommand = defineCommand({
  path: ['tenants', 'update'],
  summary: 'Rename a tenant or change its description or quotas',
  args: '<id|name>',
  minArgs: 1,
  flags: {
    name: { type: 'string', value: 'NAME', description: 'New name' },
    description: { type: 'string', value: 'TEXT', description: 'New description' },
    ...quotaFlags,
  },
  async run(ctx) {
    const quotas = quotasFromFlags(ctx.flags);
    const body = {
      name: stringFlag(ctx.flags, 'name'),
      description: stringFlag(ctx.flags, 'description'),
      quotas: Object.keys(quotas).length ? quotas : undefined,
    };
    if (!body.name && body.description === undefined && !body.quotas) throw new UsageError('nothing to change: give --name, --description or a --quota-* flag');
    const { id } = await resolveTenant(ctx.api, ctx.args[0]);
    const tenant = await ctx.api.call('tenants.update', { params: { id }, body });
    return record(tenant, tenantFields(tenant));
  },
});
