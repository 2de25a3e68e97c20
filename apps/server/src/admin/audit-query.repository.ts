import type { AuditEntry } from '@novacron/api';
import { sql } from 'kysely';
import type { TenantScope } from '../auth/principal';
import type { Store } from '../store/db';
import type { AuditRow } from '../store/schema';

/** Filters of an audit page, already validated and normalised. */
export interface AuditFilter {
  limit: number;
  /** Entries with a smaller seq than this (the cursor). */
  beforeSeq?: number;
  actor?: string;
  actionPrefix?: string;
  tenant?: string;
  target?: string;
  outcome?: string;
  /** ISO instants, compared as text (stored timestamps are ISO-8601 UTC). */
  since?: string;
  until?: string;
}

/** Row → wire shape. */
export function toAuditEntry(r: AuditRow): AuditEntry {
  let details: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(r.details);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) details = parsed;
  } catch {
    // a malformed entry still lists; `verify` is what reports tampering
  }
  return {
    seq: Number(r.seq), id: r.id, time: r.time, actorId: r.actor_id, actorLabel: r.actor_label, tenantId: r.tenant_id,
    action: r.action, target: r.target, outcome: r.outcome, ip: r.ip, requestId: r.request_id, details,
    prevHash: r.prev_hash, hash: r.hash,
  };
}

/** Read-only queries over the audit log; there is deliberately no update or delete here. */
export class AuditQueryRepository {
  constructor(private readonly store: Store) {}

  /** Newest first on seq, `limit + 1` rows; a tenant scope sees only entries of its tenants. */
  list(scope: TenantScope, f: AuditFilter): Promise<AuditRow[]> {
    let q = this.store.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(f.limit + 1);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scope.length ? scope : ['']);
    if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
    if (f.actor) q = q.where((eb) => eb.or([eb('actor_id', '=', f.actor!), eb('actor_label', '=', f.actor!)]));
    // substr is exact and case-sensitive on both engines, unlike LIKE (case-insensitive for ASCII on SQLite)
    if (f.actionPrefix) q = q.where(sql<string>`substr(action, 1, ${f.actionPrefix.length})`, '=', f.actionPrefix);
    if (f.tenant) q = q.where('tenant_id', '=', f.tenant);
    if (f.target) q = q.where('target', '=', f.target);
    if (f.outcome) q = q.where('outcome', '=', f.outcome);
    if (f.since) q = q.where('time', '>=', f.since);
    if (f.until) q = q.where('time', '<', f.until);
    return q.execute();
  }
}
