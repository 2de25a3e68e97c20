import type { LoginResult } from '@novacron/api';
import { ApiRequestError } from '@novacron/client';
import { stringFlag } from '../../args';
import { text } from '../../output';
import { defineCommand, type CommandContext } from '../../registry';

async function signIn(ctx: CommandContext, body: { email: string; password: string; totp?: string; recoveryCode?: string }): Promise<LoginResult> {
  try {
    return await ctx.api.client().call('auth.login', { body });
  } catch (err) {
    // Ask for the second factor only when a person is there to type it and none was given.
    const canAsk = err instanceof ApiRequestError && err.code === 'TOTP_REQUIRED' && ctx.prompt.interactive && !body.totp && !body.recoveryCode;
    if (!canAsk) throw err;
    const code = (await ctx.prompt.line('Two-factor code (or a recovery code): ', 'the two-factor code')).trim();
    return ctx.api.client().call('auth.login', { body: /^\d{6}$/.test(code) ? { ...body, totp: code } : { ...body, recoveryCode: code } });
  }
}

/** `novacron login`: signs in and stores the token pair for this server (mode 0600). */
export const loginCommand = defineCommand({
  path: ['login'],
  summary: 'Sign in and store the session in $XDG_CONFIG_HOME/novacron/credentials.json',
  description:
    'Prompts for the email and password on a terminal. Without a terminal, reads the email (unless --email is given)\n' +
    'and then the password as lines of standard input. --password-stdin reads only the password from standard input.',
  flags: {
    email: { type: 'string', value: 'EMAIL', description: 'Account email (otherwise prompted)' },
    'password-stdin': { type: 'boolean', description: 'Read the password from the first line of standard input' },
    totp: { type: 'string', value: 'CODE', description: 'Current six-digit two-factor code' },
    'recovery-code': { type: 'string', value: 'CODE', description: 'A two-factor recovery code (single use)' },
  },
  async run(ctx) {
    const email = stringFlag(ctx.flags, 'email') ?? (await ctx.prompt.line('Email: ', 'the email')).trim();
    const password = ctx.flags['password-stdin']
      ? await ctx.prompt.nextLine('the password')
      : await ctx.prompt.secret('Password: ', 'the password');
    const result = await signIn(ctx, {
      email,
      password,
      totp: stringFlag(ctx.flags, 'totp'),
      recoveryCode: stringFlag(ctx.flags, 'recovery-code'),
    });
    ctx.api.save({ accessToken: result.accessToken, refreshToken: result.refreshToken, email: result.user.email });
    // The tokens stay in the credentials file: --output json prints the user, not the secrets.
    return text(result.user, `Logged in to ${ctx.api.server} as ${result.user.email}`);
  },
});
