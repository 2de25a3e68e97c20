import { permissions, type Permission, type Role } from '@novacron/api';
import type { Store } from '../store/db';
import type { RoleRow } from '../store/schema';

const known = new Set<string>(permissions);

/** Permissions stored on a role, keeping only ones this version knows (a removed permission grants nothing). */
export function rolePermissions(r: Pick<RoleRow, 'permissions'>): Permission[] {
  const list = JSON.parse(r.permissions) as unknown;
  return Array.isArray(list) ? (list.filter((p) => typeof p === 'string' && known.has(p)) as Permission[]) : [];
}

/** Row → wire shape. */
export function toRole(r: RoleRow): Role {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    permissions: rolePermissions(r),
    builtin: Boolean(r.builtin),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Persistence of roles. Roles are global, so there is no tenant filter. */
export class RoleRepository {
  constructor(private readonly store: Store) {}

  /** Oldest first, keyset-paged on id. */
  list(opts: { limit: number; after?: string }): Promise<RoleRow[]> {
    let q = this.store.db.selectFrom('roles').selectAll().orderBy('id').limit(opts.limit + 1);
    if (opts.after) q = q.where('id', '>', opts.after);
    return q.execute();
  }

  /** One role by id or by name. */
  find(idOrName: string): Promise<RoleRow | undefined> {
    return this.store.db
      .selectFrom('roles')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .orderBy('id')
      .executeTakeFirst();
  }

  /** Roles by ids. */
  byIds(ids: readonly string[]): Promise<RoleRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.store.db.selectFrom('roles').selectAll().where('id', 'in', [...ids]).execute();
  }

  async insert(row: RoleRow): Promise<void> {
    await this.store.db.insertInto('roles').values(row).execute();
  }

  async update(id: string, patch: Partial<Omit<RoleRow, 'id' | 'builtin' | 'created_at'>>): Promise<void> {
    await this.store.db.updateTable('roles').set(patch).where('id', '=', id).execute();
  }

  /** How many role bindings (of users and of groups) and live API tokens refer to the role. */
  async usage(id: string): Promise<{ bindings: number; tokens: number }> {
    const b = await this.store.db.selectFrom('role_bindings').select((eb) => eb.fn.countAll<number>().as('n')).where('role_id', '=', id).executeTakeFirstOrThrow();
    const g = await this.store.db.selectFrom('group_role_bindings').select((eb) => eb.fn.countAll<number>().as('n')).where('role_id', '=', id).executeTakeFirstOrThrow();
    const t = await this.store.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role_id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { bindings: Number(b.n) + Number(g.n), tokens: Number(t.n) };
  }

  /** Deletes a role and the revoked API tokens that still name it (history the foreign key would otherwise pin). */
  async delete(id: string): Promise<void> {
    await this.store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('api_tokens').where('role_id', '=', id).where('revoked_at', 'is not', null).execute();
      await trx.deleteFrom('roles').where('id', '=', id).where('builtin', '=', 0).execute();
    });
  }
}
