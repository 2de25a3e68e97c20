import { stringFlag } from '../../args';
import { record } from '../../output';
import { defineCommand } from '../../registry';
import { quotaFlags, quotasFromFlags, tenantFields } from './quotas';

/** `novacron tenants create <name>`. */
export const tenantsCreateCommand = defineCommand({
  path: ['tenants', 'create'],
  summary: 'Create a tenant (quotas not given are unlimited)',
  args: '<name>',
  minArgs: 1,
  flags: { description: { type: 'string', value: 'TEXT', description: 'What the tenant is' }, ...quotaFlags },
  async run(ctx) {
    const tenant = await ctx.api.call('tenants.create', {
      body: { name: ctx.args[0], description: stringFlag(ctx.flags, 'description'), quotas: quotasFromFlags(ctx.flags) },
    });
    return record(tenant, tenantFields(tenant));
  },
});
