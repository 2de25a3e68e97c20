import { text } from '../../output';
import { defineCommand } from '../../registry';
import { resolveRole } from '../../resolve';

/** `novacron roles delete <id|name>`. */
export const rolesDeleteCommand = defineCommand({
  path: ['roles', 'delete'],
  summary: 'Delete a custom role that nothing is bound to',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    const role = await resolveRole(ctx.api, ctx.args[0]);
    await ctx.api.call('roles.delete', { params: { id: role.id } });
    return text(undefined, `Deleted role ${role.name}`);
  },
});
