import { intFlag, stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron tokens create --name N --role R`: the secret is printed once. */
export const tokensCreateCommand = defineCommand({
  path: ['tokens', 'create'],
  summary: 'Create an API token (the secret is shown once)',
  description: 'Use the secret as --token or NOVACRON_TOKEN, or as "Authorization: Bearer <secret>".',
  flags: {
    name: { type: 'string', value: 'NAME', description: 'What the token is for (required)' },
    role: { type: 'string', value: 'ROLE', description: 'Role the token carries, no wider than yours (required)' },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Limit the role to one tenant' },
    'expires-in-days': { type: 'string', value: 'DAYS', description: 'Expiry, 1-3650 days (default: never)' },
  },
  async run(ctx) {
    const name = stringFlag(ctx.flags, 'name');
    const role = stringFlag(ctx.flags, 'role');
    if (!name || !role) throw new UsageError('--name and --role are required');
    const created = await ctx.api.call('tokens.create', {
      body: { name, role, tenantId: stringFlag(ctx.flags, 'tenant'), expiresInDays: intFlag(ctx.flags, 'expires-in-days', { min: 1, max: 3650 }) },
    });
    const t = created.token;
    return record(
      created,
      [['id', t.id], ['name', t.name], ['role', t.role], ['tenant', t.tenantId ?? '(all)'], ['expires', t.expiresAt ?? 'never'], ['secret', created.secret]],
      'Store the secret now: it is not shown again.',
    );
  },
});
