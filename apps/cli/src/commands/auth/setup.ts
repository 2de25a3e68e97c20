import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { text } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron setup`: creates the first administrator with the setup token the server printed at first start, and logs in. */
export const setupCommand = defineCommand({
  path: ['setup'],
  summary: 'Create the first administrator with the one-time setup token, and log in',
  description:
    'The server prints a setup token once when it starts with no users (unless NOVACRON_ADMIN_EMAIL is set).\n' +
    'Prompts for what is not given as a flag; without a terminal, reads the missing values as lines of standard input\n' +
    'in this order: setup token, email, password.',
  flags: {
    'setup-token': { type: 'string', value: 'TOKEN', description: 'The setup token printed by the server' },
    email: { type: 'string', value: 'EMAIL', description: 'Email of the administrator' },
    name: { type: 'string', value: 'NAME', description: 'Display name (default: Administrator)' },
    'password-stdin': { type: 'boolean', description: 'Read the password from standard input (no confirmation prompt)' },
  },
  async run(ctx) {
    const setupToken = stringFlag(ctx.flags, 'setup-token') ?? (await ctx.prompt.line('Setup token: ', 'the setup token')).trim();
    const email = stringFlag(ctx.flags, 'email') ?? (await ctx.prompt.line('Administrator email: ', 'the email')).trim();
    let password: string;
    if (ctx.flags['password-stdin'] || !ctx.prompt.interactive) {
      password = await ctx.prompt.nextLine('the password');
    } else {
      password = await ctx.prompt.secret('Password: ', 'the password');
      if ((await ctx.prompt.secret('Password again: ', 'the password')) !== password) throw new UsageError('the passwords differ');
    }
    const result = await ctx.api.client().call('auth.setup', {
      body: { setupToken, email, password, name: stringFlag(ctx.flags, 'name') ?? 'Administrator' },
    });
    ctx.api.save({ accessToken: result.accessToken, refreshToken: result.refreshToken, email: result.user.email });
    return text(result.user, `Created administrator ${result.user.email} on ${ctx.api.server}; logged in`);
  },
});
