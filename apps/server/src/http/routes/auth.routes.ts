import { ApiError, authRoutes, type LoginResult } from '@novacron/api';
import { clearRefreshCookie, refreshCookie, setRefreshCookie } from '../../auth/refresh-cookie';
import { RetryLaterError } from '../../auth/rate-limiter';
import type { Principal } from '../../auth/principal';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';
import type { RequestContext } from '../request-context';

// Password, 2FA and session management need a signed-in person, not an automation token.
function sessionOnly(ctx: RequestContext): Principal {
  const p = ctx.actor;
  if (p.kind !== 'user') throw new ApiError('FORBIDDEN', 'API tokens cannot do this; sign in');
  return p;
}

// Throttling errors carry the delay as Retry-After.
async function retryAfter<T>(ctx: RequestContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RetryLaterError) ctx.reply.header('retry-after', String(err.retryAfterSeconds));
    throw err;
  }
}

/** Authentication and self-service routes. */
export function authHandlers(s: Services): Handlers<typeof authRoutes> {
  const { auth, sessions, twoFactor } = s.identity;
  const meta = (ctx: RequestContext) => ({ ip: ctx.ip, userAgent: ctx.userAgent });
  const log = (ctx: RequestContext) => (err: unknown, msg: string) => ctx.request.log.warn({ err }, msg);
  const secure = () => s.config.publicUrl.startsWith('https:');
  const withCookie = async (ctx: RequestContext, result: LoginResult) => {
    const { refreshTokenTtlSeconds } = await s.settings.internal();
    setRefreshCookie(ctx.reply, result.refreshToken, { maxAgeSeconds: refreshTokenTtlSeconds, secure: secure() });
    return result;
  };
  return {
    'auth.config': () => auth.config(),
    'auth.setup': async ({ body }, ctx) => withCookie(ctx, await retryAfter(ctx, () => auth.setup(body, meta(ctx), ctx.audit))),
    'auth.register': ({ body }, ctx) => auth.register(body, meta(ctx), ctx.audit, log(ctx)),
    'auth.login': async ({ body }, ctx) => withCookie(ctx, await retryAfter(ctx, () => auth.login(body, meta(ctx), ctx.audit))),
    'auth.refresh': async ({ body }, ctx) => {
      try {
        return await withCookie(ctx, await auth.refresh(body.refreshToken ?? refreshCookie(ctx.request), meta(ctx), ctx.audit));
      } catch (err) {
        // A dead refresh cookie is useless to the browser: drop it so the app goes to the sign-in page.
        clearRefreshCookie(ctx.reply, secure());
        throw err;
      }
    },
    'auth.logout': async ({ body }, ctx) => {
      await auth.logout(ctx.principal, body.refreshToken ?? refreshCookie(ctx.request), ctx.audit);
      clearRefreshCookie(ctx.reply, secure());
    },
    'auth.me': (_, ctx) => auth.me(ctx.actor),
    'auth.updateMe': ({ body }, ctx) => auth.updateMe(ctx.actor, body.name),
    'auth.changePassword': ({ body }, ctx) =>
      retryAfter(ctx, () => auth.changePassword(sessionOnly(ctx), body.currentPassword, body.newPassword, ctx.ip)),
    'auth.forgotPassword': async ({ body }, ctx) => {
      await retryAfter(ctx, () => auth.forgotPassword(body.email, meta(ctx), ctx.audit, log(ctx)));
      return {};
    },
    'auth.resetPassword': ({ body }, ctx) => auth.resetPassword(body.token, body.password, ctx.audit),
    'auth.verifyEmail': ({ body }, ctx) => auth.verifyEmail(body.token, ctx.audit),
    'auth.resendVerification': async (_, ctx) => {
      await auth.resendVerification(sessionOnly(ctx));
      return {};
    },
    'auth.sessions': async ({ query }, ctx) => {
      const p = sessionOnly(ctx);
      const rows = await sessions.listActive(p.userId, query.limit, decodeCursor(query.cursor));
      return toPage(rows, query.limit, (r) => ({
        id: r.id, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, userAgent: r.user_agent, ip: r.ip,
        current: r.id === p.sessionId,
      }));
    },
    'auth.revokeSession': ({ params }, ctx) => sessions.revokeOwn(sessionOnly(ctx).userId, params.id, 'revoked_by_user'),
    'auth.revokeAllSessions': async (_, ctx) => {
      const p = sessionOnly(ctx);
      const revoked = await sessions.revokeAll(p.userId, 'revoked_by_user', p.sessionId);
      ctx.audit.details = { revoked };
      return { revoked };
    },
    'auth.totpEnroll': (_, ctx) => twoFactor.enroll(sessionOnly(ctx).userId),
    'auth.totpConfirm': async ({ body }, ctx) => ({ recoveryCodes: await twoFactor.confirm(sessionOnly(ctx).userId, body.code) }),
    'auth.totpDisable': ({ body }, ctx) => twoFactor.disable(sessionOnly(ctx).userId, body.password),
  };
}
