import { intFlag, stringFlag } from '../../args';
import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron node join-token create`: a single-use token for `novacron-agent --join-token`, shown once. */
export const nodeJoinTokenCreateCommand = defineCommand({
  path: ['node', 'join-token', 'create'],
  summary: 'Create a single-use join token for a new node agent (shown once)',
  flags: {
    ttl: { type: 'string', value: 'SECONDS', description: 'How long it can be used (60-604800, default 3600)' },
    description: { type: 'string', value: 'TEXT', description: 'What it is for' },
  },
  async run(ctx) {
    const ttlSeconds = intFlag(ctx.flags, 'ttl', { min: 60, max: 7 * 86_400 });
    const t = await ctx.api.call('nodes.createJoinToken', { body: { ttlSeconds, description: stringFlag(ctx.flags, 'description') } });
    return record(t, [['id', t.id], ['token', t.token], ['expires', t.expiresAt]],
      `(give it to the agent: novacron-agent --join-token ${t.token}; it is not shown again)`);
  },
});
