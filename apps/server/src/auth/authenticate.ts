import { ApiError } from '@novacron/api';
import type { FastifyRequest } from 'fastify';
import type { Authenticate } from '../http/register-routes';
import type { Services } from '../services';
import { API_TOKEN_PREFIX } from './api-token.service';
import type { Principal } from './principal';
import { userPrincipal } from './principal-loader';

// At most one `token.used` audit entry (and last_used_at write) per token per minute: enough to trace use without an entry per request.
const TOKEN_USE_AUDIT_MS = 60_000;

// Until they enrol, users who must use 2FA reach only the auth routes (to enrol, see themselves, sign out) and health.
function allowedBeforeEnrolment(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path.startsWith('/api/v1/auth/') || path === '/api/v1/health';
}

// Public auth routes ignore a stale bearer header: a client holding an expired access token must still be able to refresh or sign in.
const LENIENT = new Set(['login', 'refresh', 'logout', 'setup', 'register', 'config', 'password/forgot', 'password/reset', 'email/verify'].map((p) => `/api/v1/auth/${p}`));

/** Resolves `Authorization: Bearer` credentials: an EdDSA access JWT (its session must be live) or an `nct_` API token. Disabled users are refused. */
export function createAuthenticator(s: Services): Authenticate {
  const { identity } = s;
  const lastAudit = new Map<string, number>();

  const tokenPrincipal = async (secret: string, request: FastifyRequest): Promise<Principal> => {
    const { principal, token } = await identity.apiTokens.authenticate(secret);
    const now = s.clock.now().getTime();
    if (now - (lastAudit.get(token.id) ?? 0) >= TOKEN_USE_AUDIT_MS) {
      lastAudit.set(token.id, now);
      if (lastAudit.size > 10_000) lastAudit.clear();
      await identity.apiTokens.touch(token.id);
      await s.audit.append({
        actorId: principal.userId, actorLabel: `${principal.email} (token ${token.id})`, tenantId: principal.tenantId,
        action: 'token.used', target: token.id, outcome: 'success', ip: request.ip ?? null, requestId: request.id ?? null,
        details: { name: token.name, ...(request.url ? { path: request.url.split('?')[0] } : {}) },
      });
    }
    return principal;
  };

  const sessionPrincipal = async (jwt: string, request: FastifyRequest): Promise<Principal> => {
    const claims = await identity.accessTokens.verify(jwt);
    // One query, on every request: session live and the token's user's, the user row, their bindings (direct and through groups). Nothing here is cached,
    // so a revoked session, a disabled or deleted account and a changed role take effect on the very next request.
    const access = await identity.sessions.liveAccess(claims.sid, claims.sub);
    if (!access) throw new ApiError('UNAUTHENTICATED', 'session ended; sign in again');
    const { user, bindings } = access;
    if (Number(user.disabled)) throw new ApiError('ACCOUNT_DISABLED', 'this account is disabled');
    if (!Number(user.totp_enabled) && !allowedBeforeEnrolment(request.url) && (await s.settings.internal()).require2fa) {
      throw new ApiError('TOTP_ENROLLMENT_REQUIRED', 'two-factor authentication is required: enrol at POST /api/v1/auth/totp/enroll first');
    }
    return userPrincipal(user, bindings, claims.sid);
  };

  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      if (LENIENT.has((request.url ?? '').split('?')[0])) return null;
      throw new ApiError('UNAUTHENTICATED', 'use Authorization: Bearer <token>');
    }
    const credential = match[1];
    try {
      return await (credential.startsWith(API_TOKEN_PREFIX) ? tokenPrincipal(credential, request) : sessionPrincipal(credential, request));
    } catch (err) {
      if (LENIENT.has((request.url ?? '').split('?')[0])) return null;
      throw err;
    }
  };
}
