import { text } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron tokens revoke <id>`. */
export const tokensRevokeCommand = defineCommand({
  path: ['tokens', 'revoke'],
  summary: 'Revoke one of your API tokens',
  args: '<id>',
  minArgs: 1,
  async run(ctx) {
    await ctx.api.call('tokens.revoke', { params: { id: ctx.args[0] } });
    return text(undefined, `Revoked token ${ctx.args[0]}`);
  },
});
