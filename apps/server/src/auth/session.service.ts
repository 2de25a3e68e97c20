import { ApiError } from '@novacron/api';
import { isoPlus, type Clock } from '../lib/clock';
import { sha256 } from '../lib/hash';
import { newId, newSecret } from '../lib/ids';
import type { SettingsService } from '../settings/settings.service';
import type { RefreshTokenRow, SessionRow, UserRow } from '../store/schema';
import type { AccessTokens } from './access-token';
import type { SessionAccess, SessionRepository } from './session.repository';

/** Whether a session may still authenticate requests for `userId` at `nowIso`: it is theirs, not revoked, not expired. */
export function sessionIsLive(s: Pick<SessionRow, 'user_id' | 'revoked_at' | 'expires_at'> | undefined, userId: string, nowIso: string): boolean {
  return !!s && s.user_id === userId && s.revoked_at === null && s.expires_at > nowIso;
}

/** Where a session was started from (shown in the session list). */
export interface ClientMeta {
  ip: string;
  userAgent: string;
}

/** A fresh access/refresh pair. */
export interface TokenPair {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Thrown when a used refresh token comes back: its session is revoked; `userId` lets the caller audit who was affected. */
export class RefreshReuseError extends ApiError {
  constructor(readonly userId: string) {
    super('REFRESH_TOKEN_REUSED', 'this refresh token was already used; the session has been signed out everywhere it was used');
  }
}

/** Sessions: one refresh-token family each. Refresh tokens rotate on every use; a reused one revokes the family. */
export class SessionService {
  constructor(
    private readonly repo: SessionRepository,
    private readonly access: AccessTokens,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  private newRefresh(sessionId: string, now: Date): { secret: string; row: RefreshTokenRow } {
    const secret = newSecret('ncrt');
    return { secret, row: { id: newId(now.getTime()), session_id: sessionId, token_hash: sha256(secret), created_at: now.toISOString(), used_at: null } };
  }

  private async pair(user: Pick<UserRow, 'id' | 'tenant_id'>, sessionId: string, refreshToken: string): Promise<TokenPair> {
    const { accessTokenTtlSeconds } = await this.settings.internal();
    const accessToken = await this.access.issue({ sub: user.id, sid: sessionId, tenant: user.tenant_id }, accessTokenTtlSeconds);
    return { sessionId, accessToken, refreshToken, expiresIn: accessTokenTtlSeconds };
  }

  /** Starts a session for a user who just proved who they are. */
  async start(user: Pick<UserRow, 'id' | 'tenant_id'>, meta: ClientMeta): Promise<TokenPair> {
    const now = this.clock.now();
    const { refreshTokenTtlSeconds } = await this.settings.internal();
    const session: SessionRow = {
      id: newId(now.getTime()),
      user_id: user.id,
      created_at: now.toISOString(),
      last_used_at: now.toISOString(),
      expires_at: isoPlus(now, refreshTokenTtlSeconds),
      revoked_at: null,
      revoked_reason: null,
      user_agent: meta.userAgent.slice(0, 300),
      ip: meta.ip,
    };
    const refresh = this.newRefresh(session.id, now);
    await this.repo.create(session, refresh.row);
    return this.pair(user, session.id, refresh.secret);
  }

  /** The live session a refresh token belongs to (for logout), or undefined. */
  async sessionOf(refreshToken: string): Promise<SessionRow | undefined> {
    const row = await this.repo.refreshToken(sha256(refreshToken));
    return row ? this.repo.get(row.session_id) : undefined;
  }

  /** Exchanges a refresh token for a new pair. The old token is spent; presenting it again revokes the whole session. */
  async refresh(refreshToken: string, loadUser: (id: string) => Promise<UserRow | undefined>): Promise<TokenPair & { user: UserRow }> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const token = await this.repo.refreshToken(sha256(refreshToken));
    if (!token) throw new ApiError('UNAUTHENTICATED', 'refresh token is not valid; sign in again');
    const session = await this.repo.get(token.session_id);
    if (!session) throw new ApiError('UNAUTHENTICATED', 'refresh token is not valid; sign in again');
    if (token.used_at !== null) {
      await this.repo.revoke(session.id, nowIso, 'refresh_token_reused');
      throw new RefreshReuseError(session.user_id);
    }
    if (session.revoked_at !== null || session.expires_at <= nowIso) throw new ApiError('UNAUTHENTICATED', 'session ended; sign in again');
    const user = await loadUser(session.user_id);
    if (!user || Number(user.disabled)) {
      await this.repo.revoke(session.id, nowIso, 'account_disabled');
      throw new ApiError('ACCOUNT_DISABLED', 'this account is disabled');
    }
    const { refreshTokenTtlSeconds } = await this.settings.internal();
    const next = this.newRefresh(session.id, now);
    if (!(await this.repo.rotate(token.id, next.row, session.id, nowIso, isoPlus(now, refreshTokenTtlSeconds)))) {
      // Someone spent this token between our read and our write: the same token was presented twice.
      await this.repo.revoke(session.id, nowIso, 'refresh_token_reused');
      throw new RefreshReuseError(session.user_id);
    }
    return { ...(await this.pair(user, session.id, next.secret)), user };
  }

  /** Whether a session may still authenticate requests for `userId`. */
  async isLive(sessionId: string, userId: string): Promise<boolean> {
    return sessionIsLive(await this.repo.get(sessionId), userId, this.clock.now().toISOString());
  }

  /** A live session of `userId` with its user row and role bindings, read in one query; undefined when the session ended. */
  async liveAccess(sessionId: string, userId: string): Promise<SessionAccess | undefined> {
    const access = await this.repo.withAccess(sessionId);
    return access && sessionIsLive(access.session, userId, this.clock.now().toISOString()) ? access : undefined;
  }

  /** Revokes one session of a user; NOT_FOUND when it is not theirs or not live. */
  async revokeOwn(userId: string, sessionId: string, reason: string): Promise<void> {
    const s = await this.repo.get(sessionId);
    if (!s || s.user_id !== userId || s.revoked_at !== null) throw new ApiError('NOT_FOUND', 'no such session');
    await this.repo.revoke(sessionId, this.clock.now().toISOString(), reason);
  }

  /** Revokes a session by id. */
  async revoke(sessionId: string, reason: string): Promise<boolean> {
    return this.repo.revoke(sessionId, this.clock.now().toISOString(), reason);
  }

  /** Revokes every session of a user but `keep`; answers how many ended. Used on password change/reset and by administrators. */
  revokeAll(userId: string, reason: string, keep?: string): Promise<number> {
    return this.repo.revokeAll(userId, this.clock.now().toISOString(), reason, keep);
  }

  /** A user's live sessions, newest first. */
  listActive(userId: string, limit: number, before?: string): Promise<SessionRow[]> {
    return this.repo.listActive(userId, this.clock.now().toISOString(), limit, before);
  }
}
