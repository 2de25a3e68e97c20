import { stringFlag } from '../../args';
import { record } from '../../output';
import { defineCommand } from '../../registry';
import { resolveTenant } from '../../resolve';
import { groupFields } from './columns';

/** `novacron groups create <name>`. */
export const groupsCreateCommand = defineCommand({
  path: ['groups', 'create'],
  summary: 'Create a group on a tenant, or a global group (without --tenant; needs user:admin globally)',
  args: '<name>',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    tenant: { type: 'string', value: 'TENANT', description: 'Tenant (id or name) the group belongs to; omit for a global group' },
    description: { type: 'string', value: 'TEXT', description: 'What the group is for' },
  },
  async run(ctx) {
    const ref = stringFlag(ctx.flags, 'tenant');
    const tenantId = ref ? (await resolveTenant(ctx.api, ref)).id : null;
    const group = await ctx.api.call('groups.create', { body: { name: ctx.args[0], description: stringFlag(ctx.flags, 'description'), tenantId } });
    return record(group, groupFields(group));
  },
});
