import type { RoleBinding } from '@novacron/api';
import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import type { Store } from '../store/db';
import type { RoleBindingRow, UserRow } from '../store/schema';
import { escapeLike } from './store-errors';

/** A binding with its role's name and permissions (JSON text). */
export interface BindingDetail {
  user_id: string;
  role_id: string;
  role_name: string;
  permissions: string;
  tenant_id: string | null;
}

/** Filters of a user page. */
export interface UserFilter {
  limit: number;
  after?: string;
  tenant?: string;
  text?: string;
  disabled?: boolean;
}

const inTenants = (scope: TenantScope) => (scope === 'all' ? null : scope.length ? scope : ['']);

/** Sorts bindings for answers: global ones first, then by tenant and role name. */
export function toBindings(rows: Pick<BindingDetail, 'role_name' | 'tenant_id'>[]): RoleBinding[] {
  return rows
    .map((r) => ({ role: r.role_name, tenantId: r.tenant_id }))
    .sort((a, b) => (a.tenantId ?? '').localeCompare(b.tenantId ?? '') || a.role.localeCompare(b.role));
}

/** User administration queries; every read takes the caller's tenant scope (users are scoped by home tenant). */
export class UserAdminRepository {
  constructor(private readonly store: Store) {}

  /** Oldest first, keyset-paged on id. */
  list(scope: TenantScope, f: UserFilter): Promise<UserRow[]> {
    let q = this.store.db.selectFrom('users').selectAll().orderBy('id').limit(f.limit + 1);
    const tenants = inTenants(scope);
    if (tenants) q = q.where('tenant_id', 'in', tenants);
    if (f.after) q = q.where('id', '>', f.after);
    if (f.tenant) q = q.where('tenant_id', '=', f.tenant);
    if (f.disabled !== undefined) q = q.where('disabled', '=', f.disabled ? 1 : 0);
    if (f.text) {
      const pattern = `%${escapeLike(f.text.toLowerCase())}%`;
      q = q.where((eb) => eb.or([sql<boolean>`lower(email) like ${pattern} escape '\\'`, sql<boolean>`lower(name) like ${pattern} escape '\\'`]));
    }
    return q.execute();
  }

  /** One user, if their home tenant is inside the scope. */
  get(id: string, scope: TenantScope): Promise<UserRow | undefined> {
    let q = this.store.db.selectFrom('users').selectAll().where('id', '=', id);
    const tenants = inTenants(scope);
    if (tenants) q = q.where('tenant_id', 'in', tenants);
    return q.executeTakeFirst();
  }

  /** Bindings of some users with role names and permissions. */
  bindings(userIds: readonly string[]): Promise<BindingDetail[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.store.db
      .selectFrom('role_bindings as b')
      .innerJoin('roles as r', 'r.id', 'b.role_id')
      .select(['b.user_id', 'b.role_id', 'r.name as role_name', 'r.permissions', 'b.tenant_id'])
      .where('b.user_id', 'in', [...userIds])
      .execute();
  }

  /** Replaces a user's bindings in one transaction. */
  async replaceBindings(userId: string, rows: RoleBindingRow[]): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('role_bindings').where('user_id', '=', userId).execute();
      if (rows.length) await trx.insertInto('role_bindings').values(rows).execute();
    });
  }

  async update(id: string, patch: Partial<Omit<UserRow, 'id' | 'created_at'>>): Promise<void> {
    await this.store.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /** Deletes a user; sessions, tokens and bindings go with it (foreign keys cascade). */
  async delete(id: string): Promise<void> {
    await this.store.db.deleteFrom('users').where('id', '=', id).execute();
  }
}
