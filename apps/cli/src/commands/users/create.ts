import { listFlag, stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';
import { parseBinding } from './bindings';
import { userFields } from './columns';

/** `novacron users create`. */
export const usersCreateCommand = defineCommand({
  path: ['users', 'create'],
  summary: 'Create a user',
  description: 'Without --password-stdin the user has no password and sets one through "forgot password".',
  flags: {
    email: { type: 'string', value: 'EMAIL', description: 'Email address (required)' },
    name: { type: 'string', value: 'NAME', description: 'Display name (default: the part of the email before @)' },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Home tenant (default: yours)' },
    role: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Role binding: on every tenant, or on one' },
    'password-stdin': { type: 'boolean', description: 'Read the initial password from the first line of standard input' },
  },
  async run(ctx) {
    const email = stringFlag(ctx.flags, 'email');
    if (!email) throw new UsageError('--email is required');
    const roles = listFlag(ctx.flags, 'role').map(parseBinding);
    const tenantId = stringFlag(ctx.flags, 'tenant') ?? (await ctx.api.call('auth.me')).tenantId;
    const password = ctx.flags['password-stdin'] ? await ctx.prompt.nextLine('the password') : undefined;
    const user = await ctx.api.call('users.create', {
      body: { email, name: stringFlag(ctx.flags, 'name') ?? email.split('@')[0], tenantId, roles, password },
    });
    return record(user, userFields(user));
  },
});
