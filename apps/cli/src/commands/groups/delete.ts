import { stringFlag } from '../../args';
import { text } from '../../output';
import { defineCommand } from '../../registry';
import { groupRef, tenantFlag } from './group-flags';

/** `novacron groups delete <group>`. */
export const groupsDeleteCommand = defineCommand({
  path: ['groups', 'delete'],
  summary: 'Delete a group with its memberships and role bindings',
  args: '<id|name>',
  minArgs: 1,
  maxArgs: 1,
  flags: { ...tenantFlag },
  async run(ctx) {
    const group = await groupRef(ctx, stringFlag(ctx.flags, 'tenant'));
    await ctx.api.call('groups.delete', { params: { id: group.id } });
    return text(undefined, `Deleted group ${group.name}`);
  },
});
