import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron users invite`: emails a registration link binding a role on a tenant. */
export const usersInviteCommand = defineCommand({
  path: ['users', 'invite'],
  summary: 'Invite someone by email to register with a role on a tenant',
  flags: {
    email: { type: 'string', value: 'EMAIL', description: 'Who to invite (required)' },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Tenant of the new account (default: yours)' },
    role: { type: 'string', value: 'ROLE', description: 'Role on that tenant (default: viewer)' },
  },
  async run(ctx) {
    const email = stringFlag(ctx.flags, 'email');
    if (!email) throw new UsageError('--email is required');
    const tenantId = stringFlag(ctx.flags, 'tenant') ?? (await ctx.api.call('auth.me')).tenantId;
    const result = await ctx.api.call('users.invite', { body: { email, tenantId, role: stringFlag(ctx.flags, 'role') ?? 'viewer' } });
    const note = result.emailSent ? undefined : `the email was not sent (${result.emailError}); pass the link on yourself`;
    return record(result, undefined, note);
  },
});
