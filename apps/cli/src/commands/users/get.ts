import { record } from '../../output';
import { defineCommand } from '../../registry';
import { resolveUserId } from '../../resolve';
import { userFields } from './columns';

/** `novacron users get <id|email>`. */
export const usersGetCommand = defineCommand({
  path: ['users', 'get'],
  summary: 'Show one user',
  args: '<id|email>',
  minArgs: 1,
  async run(ctx) {
    const user = await ctx.api.call('users.get', { params: { id: await resolveUserId(ctx.api, ctx.args[0]) } });
    return record(user, userFields(user));
  },
});
