import { ApiError, type AdminUser, type RoleBinding, type UserCreate, type UserListQuery, type UserPatch } from '@novacron/api';
import type { z } from 'zod';
import { toUser } from '../auth/account.repository';
import type { Accounts } from '../auth/accounts';
import { assertStrongPassword, hashPassword } from '../auth/passwords';
import { can, type Principal } from '../auth/principal';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { SettingsService } from '../settings/settings.service';
import type { UserRow } from '../store/schema';
import type { GroupRepository } from './group.repository';
import type { RoleRepository } from './role.repository';
import type { TenantRepository } from './tenant.repository';
import { assertAdministeredTenant, assertCovers, assertMayGrant, bindingKey, resolveBindings, userReadScope } from './user-access';
import { toBindings, type UserAdminRepository } from './user-admin.repository';

/** What the user administration needs from the rest of the server. */
export interface UserAdminDeps {
  repo: UserAdminRepository;
  /** Group memberships: what a user holds through groups counts when judging who may manage them. */
  groups: GroupRepository;
  roles: RoleRepository;
  tenants: TenantRepository;
  accounts: Accounts;
  /** Signs every session of a user out (identity's SessionService). */
  sessions: { revokeAll(userId: string, reason: string): Promise<number> };
  settings: SettingsService;
  clock: Clock;
}

/**
 * Users as administrators manage them. `user:read`/`user:admin` on a user's home tenant (or globally) reach the user;
 * others get NOT_FOUND. Nobody changes their own bindings, grants more than they hold where the binding applies, or
 * manages a user holding more than they could grant.
 */
export class UserAdminService {
  constructor(private readonly d: UserAdminDeps) {}

  /** A page of users the caller may see, with their bindings. */
  async list(actor: Principal, query: z.output<typeof UserListQuery>) {
    const rows = await this.d.repo.list(userReadScope(actor), {
      limit: query.limit, after: decodeCursor(query.cursor), tenant: query.tenant, text: query.text, disabled: query.disabled,
    });
    const page = toPage(rows, query.limit, (r) => r);
    return { items: await this.withBindings(page.items), nextCursor: page.nextCursor };
  }

  /** One user the caller may see. */
  async get(actor: Principal, id: string): Promise<AdminUser> {
    return (await this.withBindings([await this.visible(actor, id)]))[0];
  }

  /** Role bindings of a user the caller may see. */
  async getRoles(actor: Principal, id: string): Promise<RoleBinding[]> {
    return (await this.get(actor, id)).roles;
  }

  /** Creates a user in a tenant the caller administers, with bindings it may grant. */
  async create(actor: Principal, body: z.output<typeof UserCreate>): Promise<AdminUser> {
    await assertAdministeredTenant(actor, body.tenantId, this.d.tenants);
    const bindings = await resolveBindings(actor, body.roles, this.d.roles, this.d.tenants, 'roles.');
    let passwordHash: string | null = null;
    if (body.password !== undefined) {
      assertStrongPassword(body.password, (await this.d.settings.get()).passwordPolicy, 'password', { email: body.email });
      passwordHash = await hashPassword(body.password);
    }
    const user = await this.d.accounts.create({
      email: body.email, name: body.name, passwordHash, tenantId: body.tenantId,
      // An administrator vouches for the address; without a password the user proves it through the reset link anyway.
      emailVerified: true,
      bindings: bindings.map((b) => ({ roleId: b.roleId, tenantId: b.tenantId })),
    });
    return this.get(actor, user.id);
  }

  /** Renames, disables/enables or moves a user. */
  async update(actor: Principal, id: string, patch: z.output<typeof UserPatch>): Promise<AdminUser> {
    const user = await this.managed(actor, id);
    const self = user.id === actor.userId;
    const now = this.d.clock.now().toISOString();
    const next: Partial<UserRow> = { updated_at: now };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.tenantId !== undefined && patch.tenantId !== user.tenant_id) {
      if (self) throw new ApiError('PRIVILEGE_ESCALATION', 'you cannot move yourself to another tenant');
      await assertAdministeredTenant(actor, patch.tenantId, this.d.tenants);
      next.tenant_id = patch.tenantId;
    }
    if (patch.disabled !== undefined && patch.disabled !== Boolean(Number(user.disabled))) {
      if (self && patch.disabled) throw new ApiError('INVALID_STATE', 'you cannot disable your own account');
      next.disabled = patch.disabled ? 1 : 0;
    }
    await this.d.repo.update(user.id, next);
    // A tenant's groups hold only its users: a moved user leaves the old tenant's groups (and what they granted).
    if (next.tenant_id !== undefined) await this.d.groups.leaveOtherTenants(user.id, next.tenant_id);
    if (next.disabled === 1) await this.d.sessions.revokeAll(user.id, 'account_disabled');
    return this.get(actor, id);
  }

  /** Deletes a user (not oneself). */
  async delete(actor: Principal, id: string): Promise<void> {
    const user = await this.managed(actor, id);
    if (user.id === actor.userId) throw new ApiError('INVALID_STATE', 'you cannot delete your own account');
    await this.d.repo.delete(user.id);
  }

  /** Turns off a user's 2FA (lost device); they sign in with the password alone and may enrol again. */
  async reset2fa(actor: Principal, id: string): Promise<AdminUser> {
    const user = await this.managed(actor, id);
    if (user.id === actor.userId) throw new ApiError('INVALID_STATE', 'use /api/v1/auth/totp to change your own two-factor authentication');
    await this.d.repo.update(user.id, {
      totp_enabled: 0, totp_secret: null, recovery_codes: '[]', totp_last_step: null, updated_at: this.d.clock.now().toISOString(),
    });
    return this.get(actor, id);
  }

  /** Replaces another user's bindings; every binding added or removed must be one the caller may grant. */
  async setRoles(actor: Principal, id: string, wanted: readonly { role: string; tenantId: string | null }[]): Promise<RoleBinding[]> {
    const user = await this.visible(actor, id);
    if (user.id === actor.userId) throw new ApiError('PRIVILEGE_ESCALATION', 'you cannot change your own role bindings');
    if (!can(actor, 'user:admin', user.tenant_id)) throw new ApiError('FORBIDDEN', `missing permission user:admin on tenant ${user.tenant_id}`);
    const current = await this.d.repo.bindings([user.id]);
    const currentKeys = new Set(current.map(bindingKey));
    const next = await resolveBindings(actor, wanted, this.d.roles, this.d.tenants, '', (b) => !currentKeys.has(bindingKey(b)));
    const nextKeys = new Set(next.map(bindingKey));
    const removed = current.filter((b) => !nextKeys.has(bindingKey(b)));
    assertMayGrant(actor, removed.map((b) => ({ roleId: b.role_id, roleName: b.role_name, permissions: b.permissions, tenantId: b.tenant_id })), 'remove');
    const now = this.d.clock.now().toISOString();
    await this.d.repo.replaceBindings(
      user.id,
      next.map((b) => ({ id: newId(), user_id: user.id, role_id: b.roleId, tenant_id: b.tenantId, created_at: now })),
    );
    return toBindings(await this.d.repo.bindings([user.id]));
  }

  /** The user if the caller may see them, else NOT_FOUND. */
  private async visible(actor: Principal, id: string): Promise<UserRow> {
    const user = await this.d.repo.get(id, userReadScope(actor));
    if (!user) throw new ApiError('NOT_FOUND', `user ${id} not found`);
    return user;
  }

  /** The user if the caller administers their tenant and could have granted all they hold. */
  private async managed(actor: Principal, id: string): Promise<UserRow> {
    const user = await this.visible(actor, id);
    if (!can(actor, 'user:admin', user.tenant_id)) throw new ApiError('FORBIDDEN', `missing permission user:admin on tenant ${user.tenant_id}`);
    if (user.id !== actor.userId) assertCovers(actor, [...(await this.d.repo.bindings([user.id])), ...(await this.d.groups.bindingsOfMembers([user.id]))]);
    return user;
  }

  private async withBindings(rows: UserRow[]): Promise<AdminUser[]> {
    const all = await this.d.repo.bindings(rows.map((r) => r.id));
    return rows.map((r) => ({ ...toUser(r), roles: toBindings(all.filter((b) => b.user_id === r.id)) }));
  }
}
