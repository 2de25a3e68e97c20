import { ApiError, globalOnlyPermissions, permissionDescriptions, permissions, type Permission, type Role, type RoleCreate, type RolePatch } from '@novacron/api';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import { missingGlobally } from './grant-rules';
import { RoleRepository, rolePermissions, toRole } from './role.repository';
import { isUniqueViolation } from './store-errors';

const unique = (list: readonly Permission[]) => [...new Set(list)].sort() as Permission[];

/** Roles: built-in ones are read-only; custom ones carry only permissions their editor holds globally. */
export class RoleService {
  constructor(
    private readonly repo: RoleRepository,
    private readonly clock: Clock,
  ) {}

  /** Every permission with its description. */
  permissionList() {
    return { items: permissions.map((name) => ({ name, description: permissionDescriptions[name], globalOnly: globalOnlyPermissions.includes(name) })) };
  }

  /** A page of roles, oldest first. */
  async list(query: { limit: number; cursor?: string }) {
    const rows = await this.repo.list({ limit: query.limit, after: decodeCursor(query.cursor) });
    return toPage(rows, query.limit, toRole);
  }

  /** One role by id or name, or NOT_FOUND. */
  async get(idOrName: string): Promise<Role> {
    return toRole(await this.row(idOrName));
  }

  /** Creates a custom role. */
  async create(actor: Principal, body: z.output<typeof RoleCreate>): Promise<Role> {
    const perms = unique(body.permissions);
    this.assertHeld(actor, perms);
    const now = this.clock.now().toISOString();
    const row = { id: newId(), name: body.name, description: body.description, permissions: JSON.stringify(perms), builtin: 0, created_at: now, updated_at: now };
    if (await this.repo.find(body.name)) throw new ApiError('ALREADY_EXISTS', `a role named ${body.name} exists`);
    try {
      await this.repo.insert(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a role named ${body.name} exists`);
      throw err;
    }
    return toRole(row);
  }

  /** Changes a custom role; added permissions must be held globally by the editor. */
  async update(actor: Principal, idOrName: string, patch: z.output<typeof RolePatch>): Promise<Role> {
    const row = await this.row(idOrName);
    if (row.builtin) throw new ApiError('INVALID_STATE', `built-in role ${row.name} cannot be changed`);
    const next: Partial<typeof row> = { updated_at: this.clock.now().toISOString() };
    if (patch.permissions) {
      const current = new Set(rolePermissions(row));
      const wanted = unique(patch.permissions);
      this.assertHeld(actor, wanted.filter((x) => !current.has(x)));
      next.permissions = JSON.stringify(wanted);
    }
    if (patch.description !== undefined) next.description = patch.description;
    if (patch.name !== undefined && patch.name !== row.name) {
      const clash = await this.repo.find(patch.name);
      if (clash && clash.id !== row.id) throw new ApiError('ALREADY_EXISTS', `a role named ${patch.name} exists`);
      next.name = patch.name;
    }
    try {
      await this.repo.update(row.id, next);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('ALREADY_EXISTS', `a role named ${patch.name} exists`);
      throw err;
    }
    return this.get(row.id);
  }

  /** Deletes a custom role nothing is bound to. */
  async delete(idOrName: string): Promise<void> {
    const row = await this.row(idOrName);
    if (row.builtin) throw new ApiError('INVALID_STATE', `built-in role ${row.name} cannot be deleted`);
    const used = await this.repo.usage(row.id);
    if (used.bindings || used.tokens) {
      throw new ApiError('IN_USE', `role ${row.name} is bound ${used.bindings} time(s) and carried by ${used.tokens} API token(s); remove those first`);
    }
    await this.repo.delete(row.id);
  }

  private async row(idOrName: string) {
    const row = await this.repo.find(idOrName);
    if (!row) throw new ApiError('NOT_FOUND', `role ${idOrName} not found`);
    return row;
  }

  private assertHeld(actor: Principal, wanted: readonly Permission[]) {
    const missing = missingGlobally(actor, wanted);
    if (missing.length) throw new ApiError('PRIVILEGE_ESCALATION', `a role cannot carry permissions you do not hold globally: ${missing.join(', ')}`);
  }
}
