import { ApiError, type FieldError, type Group, type GroupCreate, type GroupListQuery, type GroupMember, type GroupPatch, type RoleBinding } from '@novacron/api';
import type { z } from 'zod';
import { toUser } from '../auth/account.repository';
import { can, type Principal } from '../auth/principal';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { GroupRow } from '../store/schema';
import type { GroupBindingDetail, GroupRepository, MemberRow } from './group.repository';
import type { RoleRepository } from './role.repository';
import { isUniqueViolation } from './store-errors';
import type { TenantRepository } from './tenant.repository';
import { assertAdministeredTenant, assertMayGrant, bindingKey, resolveBindings, userReadScope, type ResolvedBinding } from './user-access';
import { toBindings, type UserAdminRepository } from './user-admin.repository';

/** What group administration needs. */
export interface GroupDeps {
  repo: GroupRepository;
  users: UserAdminRepository;
  roles: RoleRepository;
  tenants: TenantRepository;
  clock: Clock;
}

const resolved = (b: GroupBindingDetail): ResolvedBinding => ({ roleId: b.role_id, roleName: b.role_name, permissions: b.permissions, tenantId: b.tenant_id });
const toMember = (r: MemberRow): GroupMember => ({ ...toUser(r), addedAt: r.added_at });

/**
 * Groups as administrators manage them, with the users rules: `user:read`/`user:admin` on the group's tenant (globally for
 * global groups) reach it, others get NOT_FOUND. A group's bindings apply to every member, so adding a member, removing one,
 * changing bindings or deleting the group all need the caller to be able to grant every binding involved (PRIVILEGE_ESCALATION):
 * nobody gains, or hands out, through a group what they could not bind directly.
 */
export class GroupService {
  constructor(private readonly d: GroupDeps) {}

  /** A page of groups the caller may see. */
  async list(actor: Principal, query: z.output<typeof GroupListQuery>) {
    const rows = await this.d.repo.list(userReadScope(actor), { limit: query.limit, after: decodeCursor(query.cursor), tenant: query.tenant, name: query.name });
    const page = toPage(rows, query.limit, (r) => r);
    return { items: await this.details(page.items), nextCursor: page.nextCursor };
  }

  /** One group the caller may see. */
  async get(actor: Principal, id: string): Promise<Group> {
    return (await this.details([await this.visible(actor, id)]))[0];
  }

  /** Creates a group on a tenant the caller administers, or a global one (user:admin globally). */
  async create(actor: Principal, body: z.output<typeof GroupCreate>): Promise<Group> {
    if (body.tenantId === null) {
      if (!can(actor, 'user:admin', null)) throw new ApiError('FORBIDDEN', 'a global group needs user:admin globally; pass the tenantId of a tenant you administer');
    } else {
      await assertAdministeredTenant(actor, body.tenantId, this.d.tenants);
    }
    if (await this.d.repo.byName(body.tenantId, body.name)) throw new ApiError('ALREADY_EXISTS', `a group named ${body.name} exists there`);
    const now = this.d.clock.now().toISOString();
    const row: GroupRow = { id: newId(), tenant_id: body.tenantId, name: body.name, description: body.description, created_at: now, updated_at: now };
    try {
      await this.d.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a group named ${body.name} exists there`);
      throw err;
    }
    return this.get(actor, row.id);
  }

  /** Renames a group or changes its description. */
  async update(actor: Principal, id: string, patch: z.output<typeof GroupPatch>): Promise<Group> {
    const group = await this.administered(actor, id);
    const next: Partial<GroupRow> = { updated_at: this.d.clock.now().toISOString() };
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.name !== undefined && patch.name !== group.name) {
      if (await this.d.repo.byName(group.tenant_id, patch.name)) throw new ApiError('ALREADY_EXISTS', `a group named ${patch.name} exists there`);
      next.name = patch.name;
    }
    try {
      await this.d.repo.update(group.id, next);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a group named ${patch.name} exists there`);
      throw err;
    }
    return this.get(actor, id);
  }

  /** Deletes a group, its memberships and bindings; the caller must be able to remove every binding it carries. */
  async delete(actor: Principal, id: string): Promise<Group> {
    const group = await this.administered(actor, id);
    const [view] = await this.details([group]);
    assertMayGrant(actor, (await this.d.repo.bindings([group.id])).map(resolved), 'delete a group holding');
    await this.d.repo.delete(group.id);
    return view;
  }

  /** A page of members of a group the caller may see. */
  async members(actor: Principal, id: string, query: { limit: number; cursor?: string }) {
    const group = await this.visible(actor, id);
    const rows = await this.d.repo.members(group.id, { limit: query.limit, after: decodeCursor(query.cursor) });
    return toPage(rows, query.limit, toMember);
  }

  /** Adds a user to a group (idempotent). A tenant's group takes only that tenant's users. */
  async addMember(actor: Principal, id: string, userId: string): Promise<{ group: GroupRow; member: GroupMember }> {
    const group = await this.administered(actor, id);
    const user = await this.d.users.get(userId, userReadScope(actor));
    if (!user) throw new ApiError('NOT_FOUND', `user ${userId} not found`);
    if (group.tenant_id !== null && user.tenant_id !== group.tenant_id) {
      throw new ApiError('INVALID_STATE', `user ${userId} belongs to another tenant; a tenant's group holds only that tenant's users`);
    }
    // Self included: joining a group must not give the caller (or anyone) more than the caller could bind directly.
    assertMayGrant(actor, (await this.d.repo.bindings([group.id])).map(resolved), 'add a member to a group holding');
    await this.d.repo.addMember({ group_id: group.id, user_id: user.id, created_at: this.d.clock.now().toISOString() });
    const [row] = await this.d.repo.members(group.id, { limit: 1, userId: user.id });
    return { group, member: toMember(row) };
  }

  /** Removes a user from a group; NOT_FOUND when they are not a member. */
  async removeMember(actor: Principal, id: string, userId: string): Promise<{ group: GroupRow; member: GroupMember }> {
    const group = await this.administered(actor, id);
    const [row] = await this.d.repo.members(group.id, { limit: 1, userId });
    if (!row) throw new ApiError('NOT_FOUND', `user ${userId} is not a member of group ${group.name}`);
    assertMayGrant(actor, (await this.d.repo.bindings([group.id])).map(resolved), 'remove a member from a group holding');
    await this.d.repo.removeMember(group.id, userId);
    return { group, member: toMember(row) };
  }

  /** Role bindings of a group the caller may see. */
  async getRoles(actor: Principal, id: string): Promise<RoleBinding[]> {
    const group = await this.visible(actor, id);
    return toBindings(await this.d.repo.bindings([group.id]));
  }

  /** Replaces a group's bindings; every binding added or removed must be one the caller may grant. */
  async setRoles(actor: Principal, id: string, wanted: readonly { role: string; tenantId: string | null }[]): Promise<{ group: GroupRow; before: RoleBinding[]; roles: RoleBinding[] }> {
    const group = await this.administered(actor, id);
    if (group.tenant_id !== null) {
      const errors: FieldError[] = [];
      for (const [i, w] of wanted.entries()) {
        if (w.tenantId !== group.tenant_id) errors.push({ in: 'body', path: `${i}.tenantId`, message: `a tenant's group binds roles on its tenant (${group.tenant_id}) only` });
      }
      if (errors.length) throw new ApiError('VALIDATION_FAILED', `invalid body: ${errors[0].path} ${errors[0].message}`, errors);
    }
    const current = await this.d.repo.bindings([group.id]);
    const currentKeys = new Set(current.map(bindingKey));
    const next = await resolveBindings(actor, wanted, this.d.roles, this.d.tenants, '', (b) => !currentKeys.has(bindingKey(b)));
    const nextKeys = new Set(next.map(bindingKey));
    assertMayGrant(actor, current.filter((b) => !nextKeys.has(bindingKey(b))).map(resolved), 'remove');
    const now = this.d.clock.now().toISOString();
    await this.d.repo.replaceBindings(
      group.id,
      next.map((b) => ({ id: newId(), group_id: group.id, role_id: b.roleId, tenant_id: b.tenantId, created_at: now })),
    );
    return { group, before: toBindings(current), roles: toBindings(await this.d.repo.bindings([group.id])) };
  }

  /** The group if the caller may see it, else NOT_FOUND. */
  private async visible(actor: Principal, id: string): Promise<GroupRow> {
    const group = await this.d.repo.get(id, userReadScope(actor));
    if (!group) throw new ApiError('NOT_FOUND', `group ${id} not found`);
    return group;
  }

  /** The group if the caller administers its tenant (globally for a global group). */
  private async administered(actor: Principal, id: string): Promise<GroupRow> {
    const group = await this.visible(actor, id);
    if (!can(actor, 'user:admin', group.tenant_id)) {
      throw new ApiError('FORBIDDEN', `missing permission user:admin ${group.tenant_id === null ? 'globally' : `on tenant ${group.tenant_id}`}`);
    }
    return group;
  }

  private async details(rows: GroupRow[]): Promise<Group[]> {
    const ids = rows.map((r) => r.id);
    const [counts, bindings] = await Promise.all([this.d.repo.memberCounts(ids), this.d.repo.bindings(ids)]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      tenantId: r.tenant_id,
      members: counts.get(r.id) ?? 0,
      roles: toBindings(bindings.filter((b) => b.group_id === r.id)),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
