import { record } from '../../output';
import { defineCommand } from '../../registry';
import { resolveTenant } from '../../resolve';
import { tenantFields } from './quotas';

/** `novacron tenants get <id|name>`. */
export const tenantsGetCommand = defineCommand({
  path: ['tenants', 'get'],
  summary: 'Show one tenant',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    const tenant = await resolveTenant(ctx.api, ctx.args[0]);
    return record(tenant, tenantFields(tenant));
  },
});
