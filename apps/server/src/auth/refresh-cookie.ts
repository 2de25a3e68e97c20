import type { FastifyReply, FastifyRequest } from 'fastify';

/** Name of the refresh-token cookie. */
export const REFRESH_COOKIE = 'novacron_refresh';
/** The cookie is only sent to the auth routes, never to the rest of the API. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** Sets the refresh cookie: httpOnly (no script can read it), SameSite=Strict (no cross-site sends), Secure behind https. */
export function setRefreshCookie(reply: FastifyReply, token: string, opts: { maxAgeSeconds: number; secure: boolean }): void {
  reply.setCookie(REFRESH_COOKIE, token, {
    httpOnly: true, sameSite: 'strict', secure: opts.secure, path: REFRESH_COOKIE_PATH, maxAge: opts.maxAgeSeconds,
  });
}

/** Clears the refresh cookie. */
export function clearRefreshCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: REFRESH_COOKIE_PATH });
}

/** The refresh token from the cookie, if the browser sent one. */
export function refreshCookie(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[REFRESH_COOKIE];
  return value ? value : undefined;
}
