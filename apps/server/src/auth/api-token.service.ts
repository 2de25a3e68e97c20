import { ApiError, globalOnlyPermissions, type ApiToken, type CreateApiToken, type Permission } from '@novacron/api';
import type { z } from 'zod';
import { isoPlus, type Clock } from '../lib/clock';
import { sha256 } from '../lib/hash';
import { newId, newSecret } from '../lib/ids';
import type { ApiTokenRow } from '../store/schema';
import type { AccountRepository } from './account.repository';
import type { ApiTokenRepository } from './api-token.repository';
import { can, type Principal } from './principal';
import { rolePermissions, type PrincipalLoader } from './principal-loader';

/** Prefix of API token secrets: `Authorization: Bearer nct_...`. */
export const API_TOKEN_PREFIX = 'nct_';

/** Row (with role name) → wire shape. */
export function toApiToken(r: ApiTokenRow & { role_name: string }): ApiToken {
  return {
    id: r.id, name: r.name, role: r.role_name, tenantId: r.tenant_id, prefix: r.prefix,
    expiresAt: r.expires_at, lastUsedAt: r.last_used_at, createdAt: r.created_at,
  };
}

/** The permissions of `role` the creator lacks on the scope (empty = allowed). Global-only permissions never apply on one tenant, so they are not asked for there. */
export function missingForToken(creator: Principal, role: Permission[], tenantId: string | null): Permission[] {
  if (tenantId === null) return role.filter((p) => !creator.global.has(p));
  return role.filter((p) => !globalOnlyPermissions.includes(p) && !can(creator, p, tenantId));
}

/** API tokens: created by a user with a role on a scope, never wider than the creator; used as bearer credentials. */
export class ApiTokenService {
  constructor(
    private readonly repo: ApiTokenRepository,
    private readonly accounts: AccountRepository,
    private readonly principals: PrincipalLoader,
    private readonly clock: Clock,
  ) {}

  /** Creates a token; PRIVILEGE_ESCALATION when the role holds anything the creator lacks on that scope. */
  async create(creator: Principal, input: z.infer<typeof CreateApiToken>): Promise<{ token: ApiToken; secret: string }> {
    const role = await this.accounts.roleByNameOrId(input.role);
    if (!role) throw new ApiError('NOT_FOUND', `no role ${input.role}`);
    const tenantId = input.tenantId ?? null;
    if (tenantId !== null && !(await this.accounts.tenantById(tenantId))) throw new ApiError('NOT_FOUND', `no tenant ${tenantId}`);
    const missing = missingForToken(creator, rolePermissions(role), tenantId);
    if (missing.length) {
      throw new ApiError('PRIVILEGE_ESCALATION', `role ${role.name} holds permissions you lack ${tenantId ? `on tenant ${tenantId}` : 'globally'}: ${missing.join(', ')}`);
    }
    const now = this.clock.now();
    const secret = newSecret(API_TOKEN_PREFIX.slice(0, -1));
    const row: ApiTokenRow = {
      id: newId(now.getTime()),
      user_id: creator.userId,
      name: input.name,
      token_hash: sha256(secret),
      role_id: role.id,
      tenant_id: tenantId,
      expires_at: input.expiresInDays ? isoPlus(now, input.expiresInDays * 86_400) : null,
      last_used_at: null,
      revoked_at: null,
      created_at: now.toISOString(),
      prefix: secret.slice(0, 12),
    };
    await this.repo.insert(row);
    return { token: toApiToken({ ...row, role_name: role.name }), secret };
  }

  /** The user's live tokens, newest first. */
  list(userId: string, limit: number, before?: string): Promise<(ApiTokenRow & { role_name: string })[]> {
    return this.repo.listForUser(userId, limit, before);
  }

  /** Revokes one of the user's tokens; NOT_FOUND otherwise. */
  async revoke(userId: string, id: string): Promise<void> {
    if (!(await this.repo.revoke(id, userId, this.clock.now().toISOString()))) throw new ApiError('NOT_FOUND', 'no such token');
  }

  /** Resolves a bearer `nct_...` secret to its principal. Unknown, revoked or expired tokens and disabled owners are refused. */
  async authenticate(secret: string): Promise<{ principal: Principal; token: ApiTokenRow }> {
    const token = await this.repo.byHash(sha256(secret));
    const now = this.clock.now().toISOString();
    if (!token || token.revoked_at !== null) throw new ApiError('UNAUTHENTICATED', 'API token is not valid');
    if (token.expires_at !== null && token.expires_at <= now) throw new ApiError('TOKEN_EXPIRED', 'API token expired');
    const [owner, role] = await Promise.all([this.accounts.userById(token.user_id), this.accounts.roleById(token.role_id)]);
    if (!owner || !role) throw new ApiError('UNAUTHENTICATED', 'API token is not valid');
    if (Number(owner.disabled)) throw new ApiError('ACCOUNT_DISABLED', 'the owner of this token is disabled');
    return { principal: await this.principals.forToken(token, role, owner), token };
  }

  /** Records use (last_used_at). */
  touch(id: string): Promise<void> {
    return this.repo.touch(id, this.clock.now().toISOString());
  }
}
