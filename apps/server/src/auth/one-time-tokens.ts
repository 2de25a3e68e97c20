import { ApiError } from '@novacron/api';
import { isoPlus, type Clock } from '../lib/clock';
import { sha256 } from '../lib/hash';
import { newId, newSecret } from '../lib/ids';
import type { OneTimeTokenRow } from '../store/schema';
import type { OneTimeTokenRepository } from './one-time-token.repository';

/** What a single-use token is for. */
export type OneTimeKind = 'setup' | 'reset' | 'verify' | 'invite';

/** How long each kind stays valid. */
export const ONE_TIME_TTL_SECONDS: Record<OneTimeKind, number> = {
  setup: 24 * 3600,
  reset: 30 * 60,
  verify: 48 * 3600,
  invite: 7 * 24 * 3600,
};

const PREFIX: Record<OneTimeKind, string> = { setup: 'ncs', reset: 'ncr', verify: 'ncv', invite: 'nci' };

/** Who or what a token is about. */
export interface OneTimeSubject {
  userId?: string | null;
  email?: string | null;
  tenantId?: string | null;
  roleId?: string | null;
}

/** Single-use tokens sent by mail or printed: 256 random bits, stored as SHA-256, consumed atomically. */
export class OneTimeTokens {
  constructor(
    private readonly repo: OneTimeTokenRepository,
    private readonly clock: Clock,
  ) {}

  /** Issues a token; the secret is returned once and never stored. */
  async issue(kind: OneTimeKind, subject: OneTimeSubject = {}, ttlSeconds = ONE_TIME_TTL_SECONDS[kind]): Promise<{ token: string; row: OneTimeTokenRow }> {
    const token = newSecret(PREFIX[kind]);
    const now = this.clock.now();
    const row: OneTimeTokenRow = {
      id: newId(now.getTime()),
      kind,
      token_hash: sha256(token),
      user_id: subject.userId ?? null,
      email: subject.email?.toLowerCase() ?? null,
      tenant_id: subject.tenantId ?? null,
      role_id: subject.roleId ?? null,
      expires_at: isoPlus(now, ttlSeconds),
      used_at: null,
      created_at: now.toISOString(),
    };
    await this.repo.insert(row);
    return { token, row };
  }

  /** The token's row if it is valid now (unused, unexpired), without using it; else INVALID_TOKEN. */
  async peek(kind: OneTimeKind, token: string): Promise<OneTimeTokenRow> {
    const row = await this.repo.byHash(kind, sha256(token));
    const now = this.clock.now().toISOString();
    if (!row || row.used_at !== null || row.expires_at <= now) throw new ApiError('INVALID_TOKEN', `this ${kind} link is invalid, used or expired`);
    return row;
  }

  /** Uses the token: exactly one caller wins even when two race; others get INVALID_TOKEN. */
  async consume(kind: OneTimeKind, token: string): Promise<OneTimeTokenRow> {
    const row = await this.peek(kind, token);
    if (!(await this.repo.markUsed(row.id, this.clock.now().toISOString()))) {
      throw new ApiError('INVALID_TOKEN', `this ${kind} link is invalid, used or expired`);
    }
    return row;
  }

  /** Voids unused tokens of a kind (of one user, or all). */
  invalidate(kind: OneTimeKind, userId?: string): Promise<void> {
    return this.repo.invalidate(kind, this.clock.now().toISOString(), userId);
  }
}
