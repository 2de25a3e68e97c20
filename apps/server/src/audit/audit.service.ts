import { sql } from 'kysely';
import type { Clock } from '../lib/clock';
import { newId } from '../lib/ids';
import { Mutex } from '../lib/mutex';
import type { Store } from '../store/db';
import type { AuditRow } from '../store/schema';
import { GENESIS_HASH, auditHash } from './audit-hash';

/** One thing to record. */
export interface AuditEntry {
  actorId: string | null;
  actorLabel: string;
  tenantId: string | null;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  details?: Record<string, unknown>;
}

/** Result of recomputing the chain. */
export interface ChainVerdict {
  ok: boolean;
  entries: number;
  /** Sequence number of the first entry whose hash or link does not match. */
  firstBrokenSeq: number | null;
  reason: string | null;
}

// Any constant works; it names the advisory lock that serialises appends across replicas.
const AUDIT_LOCK_KEY = 74201;

/** The append-only, hash-chained audit log. There is no update or delete. */
export class AuditService {
  private readonly mutex = new Mutex();
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Appends one entry, linked to the previous one. */
  append(entry: AuditEntry): Promise<void> {
    return this.mutex.run(() =>
      this.store.db.transaction().execute(async (trx) => {
        if (this.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
        const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        const row: Omit<AuditRow, 'hash'> = {
          seq: (last?.seq ?? 0) + 1,
          id: newId(),
          time: this.clock.now().toISOString(),
          actor_id: entry.actorId,
          actor_label: entry.actorLabel,
          tenant_id: entry.tenantId,
          action: entry.action,
          target: entry.target,
          outcome: entry.outcome,
          ip: entry.ip,
          request_id: entry.requestId,
          details: JSON.stringify(entry.details ?? {}),
          prev_hash: last?.hash ?? GENESIS_HASH,
        };
        await trx.insertInto('audit_log').values({ ...row, hash: auditHash(row) }).execute();
      }),
    );
  }

  /** Recomputes every hash and link, in batches, and reports the first broken one. */
  async verify(): Promise<ChainVerdict> {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (;;) {
      const rows = await this.store.db.selectFrom('audit_log').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(1000).execute();
      if (rows.length === 0) return { ok: true, entries: count, firstBrokenSeq: null, reason: null };
      for (const row of rows) {
        const { hash, ...rest } = row;
        const seq = Number(row.seq);
        if (seq !== expectedSeq) return { ok: false, entries: count, firstBrokenSeq: expectedSeq, reason: 'entry missing' };
        if (row.prev_hash !== prev) return { ok: false, entries: count, firstBrokenSeq: seq, reason: 'link to previous entry broken' };
        if (auditHash({ ...rest, seq }) !== hash) return { ok: false, entries: count, firstBrokenSeq: seq, reason: 'entry altered' };
        prev = hash;
        expectedSeq++;
        count++;
      }
    }
  }
}
