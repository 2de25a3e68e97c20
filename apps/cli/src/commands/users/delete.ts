import { text } from '../../output';
import { defineCommand } from '../../registry';
import { resolveUserId } from '../../resolve';

/** `novacron users delete <user>`. */
export const usersDeleteCommand = defineCommand({
  path: ['users', 'delete'],
  summary: 'Delete a user with their sessions and API tokens',
  args: '<id|email>',
  minArgs: 1,
  async run(ctx) {
    const id = await resolveUserId(ctx.api, ctx.args[0]);
    await ctx.api.call('users.delete', { params: { id } });
    return text(undefined, `Deleted user ${ctx.args[0]}`);
  },
});
