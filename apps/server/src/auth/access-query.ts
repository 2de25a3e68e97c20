import { CompiledQuery, sql } from 'kysely';
import type { Store } from '../store/db';
import type { UserRow } from '../store/schema';

/** One row of the access query: the user's columns, the session's state and one binding (NULLs when the user has none). */
export type AccessRow = UserRow & { s_expires_at: string; s_revoked_at: string | null; b_tenant_id: string | null; r_permissions: string | null };

// The id placeholder the template is compiled with; every parameter of the compiled text is the session id.
const PLACEHOLDER = '\u0000session';

/**
 * The per-request access query (session → user → bindings, direct and through the user's groups → roles), compiled ONCE per
 * store and run with the session id: building a query with Kysely costs more than SQLite takes to run this one.
 * Each dialect gets the shape its planner handles best, both walking only primary keys and indexes from the session id:
 * - PostgreSQL: one LEFT JOIN LATERAL over a UNION ALL of the user's direct and group bindings (plans in ~0.15 ms; the
 *   two-arm form below took ~0.5 ms to plan, on every request, since unnamed statements are planned each time).
 * - SQLite (no LATERAL): a UNION ALL of two arms, direct bindings and group bindings, each joined from the session.
 */
export function compileAccessQuery(store: Store): { sql: string; params: number } {
  const db = store.db;
  const columns = ['s.expires_at as s_expires_at', 's.revoked_at as s_revoked_at'] as const;
  let compiled: CompiledQuery;
  if (store.dialect === 'postgres') {
    compiled = db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('role_bindings as rb')
            .select(['rb.tenant_id', 'rb.role_id'])
            .where('rb.user_id', '=', sql.ref<string>('u.id'))
            .unionAll(
              eb
                .selectFrom('group_members as m')
                .innerJoin('group_role_bindings as gb', 'gb.group_id', 'm.group_id')
                .select(['gb.tenant_id', 'gb.role_id'])
                .where('m.user_id', '=', sql.ref<string>('u.id')),
            )
            .as('b'),
        (join) => join.onTrue(),
      )
      .leftJoin('roles as r', 'r.id', 'b.role_id')
      .selectAll('u')
      .select([...columns, 'b.tenant_id as b_tenant_id', 'r.permissions as r_permissions'])
      .where('s.id', '=', PLACEHOLDER)
      .compile();
  } else {
    const direct = db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('role_bindings as b', 'b.user_id', 'u.id')
      .leftJoin('roles as r', 'r.id', 'b.role_id')
      .selectAll('u')
      .select([...columns, 'b.tenant_id as b_tenant_id', 'r.permissions as r_permissions'])
      .where('s.id', '=', PLACEHOLDER);
    const viaGroups = db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('group_members as m', 'm.user_id', 'u.id')
      .innerJoin('group_role_bindings as gb', 'gb.group_id', 'm.group_id')
      .innerJoin('roles as r', 'r.id', 'gb.role_id')
      .selectAll('u')
      .select([...columns, 'gb.tenant_id as b_tenant_id', 'r.permissions as r_permissions'])
      .where('s.id', '=', PLACEHOLDER);
    compiled = direct.unionAll(viaGroups).compile();
  }
  if (!compiled.parameters.every((p) => p === PLACEHOLDER)) throw new Error('access query: unexpected parameters');
  return { sql: compiled.sql, params: compiled.parameters.length };
}

/** Runs the compiled access query for one session. */
export async function runAccessQuery(store: Store, query: { sql: string; params: number }, sessionId: string): Promise<AccessRow[]> {
  const res = await store.db.executeQuery<AccessRow>(CompiledQuery.raw(query.sql, new Array(query.params).fill(sessionId)));
  return res.rows;
}
