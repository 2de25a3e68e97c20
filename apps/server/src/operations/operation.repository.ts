import type { Operation } from '@novacron/api';
import type { TenantScope } from '../auth/principal';
import type { Store } from '../store/db';
import type { OperationRow } from '../store/schema';

/** Row → wire shape. */
export function toOperation(r: OperationRow): Operation {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as Operation['status'],
    progress: Number(r.progress),
    mayCancel: Boolean(r.may_cancel),
    tenantId: r.tenant_id,
    resources: JSON.parse(r.resources),
    result: r.result ? JSON.parse(r.result) : null,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Persistence of operations, always filtered by tenant scope. */
export class OperationRepository {
  constructor(private readonly store: Store) {}

  async insert(row: OperationRow): Promise<void> {
    await this.store.db.insertInto('operations').values(row).execute();
  }

  async update(id: string, patch: Partial<OperationRow>): Promise<void> {
    await this.store.db.updateTable('operations').set(patch).where('id', '=', id).execute();
  }

  /** One operation, if it is inside the scope. */
  async get(id: string, scope: TenantScope): Promise<OperationRow | undefined> {
    let q = this.store.db.selectFrom('operations').selectAll().where('id', '=', id);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scope.length ? scope : ['']);
    return q.executeTakeFirst();
  }

  /** Newest first, keyset-paged on id. */
  async list(scope: TenantScope, opts: { limit: number; before?: string; status?: string; resource?: string }): Promise<OperationRow[]> {
    let q = this.store.db.selectFrom('operations').selectAll().orderBy('id', 'desc').limit(opts.limit + 1);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scope.length ? scope : ['']);
    if (opts.before) q = q.where('id', '<', opts.before);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.resource) q = q.where('resources', 'like', `%${JSON.stringify(opts.resource).slice(1, -1)}%`);
    return q.execute();
  }

  /** Marks operations left running by a previous process as failed. */
  async failInterrupted(now: string): Promise<number> {
    const res = await this.store.db
      .updateTable('operations')
      .set({ status: 'failed', error_code: 'OPERATION_INTERRUPTED', error_message: 'the control plane restarted while this operation ran', updated_at: now, may_cancel: 0 })
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }
}
