import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import type { Store } from '../store/db';
import type { GroupMemberRow, GroupRoleBindingRow, GroupRow, UserRow } from '../store/schema';
import { escapeLike } from './store-errors';

/** A group's binding with its role's name and permissions (JSON text). */
export interface GroupBindingDetail {
  group_id: string;
  role_id: string;
  role_name: string;
  permissions: string;
  tenant_id: string | null;
}

/** A member: the user row and when they joined. */
export type MemberRow = UserRow & { added_at: string };

/** Filters of a group page. */
export interface GroupFilter {
  limit: number;
  after?: string;
  tenant?: string;
  name?: string;
}

// Global groups (tenant_id null) are only inside the `all` scope: a tenant administrator never sees them.
const scoped = (scope: TenantScope) => (scope === 'all' ? null : scope.length ? scope : ['']);

/** Groups, their members and bindings; every read takes the caller's tenant scope. */
export class GroupRepository {
  constructor(private readonly store: Store) {}

  /** Oldest first, keyset-paged on id. */
  list(scope: TenantScope, f: GroupFilter): Promise<GroupRow[]> {
    let q = this.store.db.selectFrom('groups').selectAll().orderBy('id').limit(f.limit + 1);
    const tenants = scoped(scope);
    if (tenants) q = q.where('tenant_id', 'in', tenants);
    if (f.after) q = q.where('id', '>', f.after);
    if (f.tenant) q = q.where('tenant_id', '=', f.tenant);
    if (f.name) q = q.where(sql<boolean>`lower(name) like ${`%${escapeLike(f.name.toLowerCase())}%`} escape '\\'`);
    return q.execute();
  }

  /** One group, if its tenant is inside the scope. */
  get(id: string, scope: TenantScope): Promise<GroupRow | undefined> {
    let q = this.store.db.selectFrom('groups').selectAll().where('id', '=', id);
    const tenants = scoped(scope);
    if (tenants) q = q.where('tenant_id', 'in', tenants);
    return q.executeTakeFirst();
  }

  /** A group by tenant and name (unscoped: for uniqueness checks). */
  byName(tenantId: string | null, name: string): Promise<GroupRow | undefined> {
    return this.store.db
      .selectFrom('groups')
      .selectAll()
      .where('name', '=', name)
      .where('tenant_id', tenantId === null ? 'is' : '=', tenantId)
      .executeTakeFirst();
  }

  async insert(row: GroupRow): Promise<void> {
    await this.store.db.insertInto('groups').values(row).execute();
  }

  async update(id: string, patch: Partial<Pick<GroupRow, 'name' | 'description' | 'updated_at'>>): Promise<void> {
    await this.store.db.updateTable('groups').set(patch).where('id', '=', id).execute();
  }

  /** Deletes a group with its memberships and bindings, in one transaction (not left to cascades, so both engines agree). */
  async delete(id: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('group_role_bindings').where('group_id', '=', id).execute();
      await trx.deleteFrom('group_members').where('group_id', '=', id).execute();
      await trx.deleteFrom('groups').where('id', '=', id).execute();
    });
  }

  /** Members per group. */
  async memberCounts(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.store.db
      .selectFrom('group_members')
      .select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('group_id', 'in', [...ids])
      .groupBy('group_id')
      .execute();
    return new Map(rows.map((r) => [r.group_id, Number(r.n)]));
  }

  /** Bindings of some groups with role names and permissions. */
  bindings(ids: readonly string[]): Promise<GroupBindingDetail[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.store.db
      .selectFrom('group_role_bindings as b')
      .innerJoin('roles as r', 'r.id', 'b.role_id')
      .select(['b.group_id', 'b.role_id', 'r.name as role_name', 'r.permissions', 'b.tenant_id'])
      .where('b.group_id', 'in', [...ids])
      .execute();
  }

  /** Replaces a group's bindings in one transaction. */
  async replaceBindings(groupId: string, rows: GroupRoleBindingRow[]): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('group_role_bindings').where('group_id', '=', groupId).execute();
      if (rows.length) await trx.insertInto('group_role_bindings').values(rows).execute();
    });
  }

  /** Members of a group, keyset-paged on user id. */
  members(groupId: string, opts: { limit: number; after?: string; userId?: string }): Promise<MemberRow[]> {
    let q = this.store.db
      .selectFrom('group_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .selectAll('u')
      .select('m.created_at as added_at')
      .where('m.group_id', '=', groupId)
      .orderBy('u.id')
      .limit(opts.limit + 1);
    if (opts.after) q = q.where('u.id', '>', opts.after);
    if (opts.userId) q = q.where('u.id', '=', opts.userId);
    return q.execute();
  }

  /** Adds a member; a second add of the same user changes nothing. */
  async addMember(row: GroupMemberRow): Promise<void> {
    await this.store.db
      .insertInto('group_members')
      .values(row)
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .execute();
  }

  /** Removes a member; false when they were not one. */
  async removeMember(groupId: string, userId: string): Promise<boolean> {
    const res = await this.store.db.deleteFrom('group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Bindings some users hold through their groups (for "nobody manages someone mightier"). */
  bindingsOfMembers(userIds: readonly string[]): Promise<(GroupBindingDetail & { user_id: string })[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.store.db
      .selectFrom('group_members as m')
      .innerJoin('group_role_bindings as b', 'b.group_id', 'm.group_id')
      .innerJoin('roles as r', 'r.id', 'b.role_id')
      .select(['m.user_id', 'b.group_id', 'b.role_id', 'r.name as role_name', 'r.permissions', 'b.tenant_id'])
      .where('m.user_id', 'in', [...userIds])
      .execute();
  }

  /** Removes a user from the groups of tenants other than `tenantId` (a moved user leaves their old tenant's groups). */
  async leaveOtherTenants(userId: string, tenantId: string): Promise<void> {
    await this.store.db
      .deleteFrom('group_members')
      .where('user_id', '=', userId)
      .where('group_id', 'in', (eb) => eb.selectFrom('groups').select('id').where('tenant_id', 'is not', null).where('tenant_id', '!=', tenantId))
      .execute();
  }
}
