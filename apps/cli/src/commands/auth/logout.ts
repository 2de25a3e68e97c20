import { deleteCredentials } from '../../credentials';
import { text } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron logout`: ends the stored session on the server and deletes the credentials file. */
export const logoutCommand = defineCommand({
  path: ['logout'],
  summary: 'End the stored session and delete the stored credentials',
  async run(ctx) {
    const c = ctx.api.credentials;
    if (!c) return text(undefined, `Not logged in to ${ctx.api.server}`);
    let warning: string | undefined;
    try {
      // The refresh token identifies the session even when the access token has expired.
      await ctx.api.client().call('auth.logout', { body: { refreshToken: c.refreshToken } });
    } catch (err) {
      warning = `the server did not confirm the logout (${(err as Error).message}); local credentials deleted anyway`;
    }
    deleteCredentials(ctx.api.credentialsFile);
    return { ...text(undefined, `Logged out of ${ctx.api.server}`), note: warning };
  },
});
