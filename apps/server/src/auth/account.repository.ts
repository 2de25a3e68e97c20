import type { User } from '@novacron/api';
import { sql } from 'kysely';
import type { Store } from '../store/db';
import type { RoleBindingRow, RoleRow, TenantRow, UserRow } from '../store/schema';

/** A role binding joined with its role's permissions. */
export interface BindingWithPermissions {
  tenant_id: string | null;
  role_name: string;
  permissions: string;
}

/** The account queries identity needs: users, their bindings and roles, tenants. */
export class AccountRepository {
  constructor(private readonly store: Store) {}

  /** How many users exist (0 means first-run setup is open). */
  async countUsers(): Promise<number> {
    const row = await this.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A user by email, compared case-insensitively. */
  async userByEmail(email: string): Promise<UserRow | undefined> {
    return this.store.db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  }

  /** A user by id. */
  async userById(id: string): Promise<UserRow | undefined> {
    return this.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Inserts a user (every column given, so SQLite and PostgreSQL store the same). */
  async insertUser(row: UserRow): Promise<void> {
    await this.store.db.insertInto('users').values(row).execute();
  }

  /** Inserts a user and their role bindings in one transaction; false when the email is taken (also under a race). */
  async insertUserWithBindings(user: UserRow, bindings: RoleBindingRow[]): Promise<boolean> {
    try {
      await this.store.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(user).execute();
        if (bindings.length) await trx.insertInto('role_bindings').values(bindings).execute();
      });
      return true;
    } catch (err) {
      // SQLite: "UNIQUE constraint failed"; PostgreSQL: code 23505.
      if ((err as { code?: string }).code === '23505' || /UNIQUE constraint failed: users\.email/.test(String((err as Error).message))) return false;
      throw err;
    }
  }

  /** Updates columns of a user. */
  async updateUser(id: string, patch: Partial<Omit<UserRow, 'id'>>): Promise<void> {
    await this.store.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /** Replaces the recovery codes only if they are still `expected`: two logins with the same code cannot both win. */
  async swapRecoveryCodes(id: string, expected: string, next: string, now: string): Promise<boolean> {
    const res = await this.store.db
      .updateTable('users')
      .set({ recovery_codes: next, updated_at: now })
      .where('id', '=', id)
      .where('recovery_codes', '=', expected)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Records the TOTP step used, only if it is newer than the last one: a code cannot be replayed. */
  async advanceTotpStep(id: string, step: number): Promise<boolean> {
    const res = await this.store.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Every role binding of a user with the role's permissions: direct ones and those of the user's groups. */
  async bindings(userId: string): Promise<BindingWithPermissions[]> {
    const db = this.store.db;
    return db
      .selectFrom('role_bindings as b')
      .innerJoin('roles as r', 'r.id', 'b.role_id')
      .select(['b.tenant_id', 'r.name as role_name', 'r.permissions'])
      .where('b.user_id', '=', userId)
      .unionAll(
        db
          .selectFrom('group_members as m')
          .innerJoin('group_role_bindings as gb', 'gb.group_id', 'm.group_id')
          .innerJoin('roles as r', 'r.id', 'gb.role_id')
          .select(['gb.tenant_id', 'r.name as role_name', 'r.permissions'])
          .where('m.user_id', '=', userId),
      )
      .execute();
  }

  /** Binds a role to a user on a tenant (null = every tenant). */
  async insertBinding(row: { id: string; user_id: string; role_id: string; tenant_id: string | null; created_at: string }): Promise<void> {
    await this.store.db.insertInto('role_bindings').values(row).execute();
  }

  /** A role by name or by id. */
  async roleByNameOrId(ref: string): Promise<RoleRow | undefined> {
    return (
      (await this.store.db.selectFrom('roles').selectAll().where('name', '=', ref).executeTakeFirst()) ??
      (await this.store.db.selectFrom('roles').selectAll().where('id', '=', ref).executeTakeFirst())
    );
  }

  /** A role by id. */
  async roleById(id: string): Promise<RoleRow | undefined> {
    return this.store.db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Inserts a role. */
  async insertRole(row: RoleRow): Promise<void> {
    await this.store.db.insertInto('roles').values(row).execute();
  }

  /** Updates a role's description and permissions. */
  async updateRole(id: string, patch: Pick<RoleRow, 'description' | 'permissions' | 'builtin' | 'updated_at'>): Promise<void> {
    await this.store.db.updateTable('roles').set(patch).where('id', '=', id).execute();
  }

  /** A tenant by name. */
  async tenantByName(name: string): Promise<TenantRow | undefined> {
    return this.store.db.selectFrom('tenants').selectAll().where('name', '=', name).executeTakeFirst();
  }

  /** A tenant by id. */
  async tenantById(id: string): Promise<TenantRow | undefined> {
    return this.store.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Inserts a tenant. */
  async insertTenant(row: TenantRow): Promise<void> {
    await this.store.db.insertInto('tenants').values(row).execute();
  }
}

/** Row → the wire `User`. */
export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    tenantId: r.tenant_id,
    disabled: Boolean(Number(r.disabled)),
    emailVerified: Boolean(Number(r.email_verified)),
    totpEnabled: Boolean(Number(r.totp_enabled)),
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  };
}
