import { ApiError } from '@novacron/api';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import type { UserRow } from '../store/schema';
import type { AccountRepository } from './account.repository';

/** A new account. */
export interface NewAccount {
  email: string;
  name: string;
  /** argon2id hash, or null for accounts that set their password via a reset link. */
  passwordHash: string | null;
  tenantId: string;
  emailVerified: boolean;
  /** Roles to bind: role id on a tenant, or globally (null). */
  bindings: { roleId: string; tenantId: string | null }[];
}

/** Creates accounts the same way for setup, registration, the env admin and tests. */
export class Accounts {
  constructor(
    private readonly repo: AccountRepository,
    private readonly clock: Clock,
  ) {}

  /** Creates a user with bindings; ALREADY_EXISTS when the email (case-insensitive) is taken. */
  async create(input: NewAccount): Promise<UserRow> {
    const email = input.email.trim().toLowerCase();
    if (await this.repo.userByEmail(email)) throw new ApiError('ALREADY_EXISTS', 'an account with this email exists');
    const now = this.clock.now();
    const user: UserRow = {
      id: newId(now.getTime()),
      tenant_id: input.tenantId,
      email,
      name: input.name,
      password_hash: input.passwordHash,
      disabled: 0,
      email_verified: input.emailVerified ? 1 : 0,
      totp_secret: null,
      totp_enabled: 0,
      recovery_codes: '[]',
      totp_last_step: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      last_login_at: null,
    };
    const bindings = input.bindings.map((b) => ({ id: newId(now.getTime()), user_id: user.id, role_id: b.roleId, tenant_id: b.tenantId, created_at: now.toISOString() }));
    if (!(await this.repo.insertUserWithBindings(user, bindings))) throw new ApiError('ALREADY_EXISTS', 'an account with this email exists');
    return user;
  }
}
