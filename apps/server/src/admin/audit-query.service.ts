import { ApiError, type AuditExportQuery, type AuditListQuery } from '@novacron/api';
import type { z } from 'zod';
import { scopeOf, type Principal } from '../auth/principal';
import type { AuditService, ChainVerdict } from '../audit/audit.service';
import { decodeCursor, encodeCursor } from '../lib/pagination';
import { AuditQueryRepository, toAuditEntry, type AuditFilter } from './audit-query.repository';
import { AUDIT_CSV_HEADER, auditCsvRow } from './audit-csv';

/** Rows the CSV export reads per query: memory stays bounded by one page whatever the log's size. */
export const EXPORT_PAGE_ROWS = 1000;

function cursorSeq(cursor: string | undefined): number | undefined {
  const raw = decodeCursor(cursor);
  if (raw === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new ApiError('INVALID_CURSOR', 'cursor is not one this server issued');
  return Number(raw);
}

function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new ApiError('VALIDATION_FAILED', `invalid query: ${name} is not a real date`, [{ in: 'query', path: name, message: 'not a real date' }]);
  return d.toISOString();
}

/** Reading and verifying the audit log, scoped by `audit:read`. Nothing here can change an entry. */
export class AuditQueryService {
  constructor(
    private readonly repo: AuditQueryRepository,
    private readonly audit: AuditService,
  ) {}

  /** A page of entries the caller may read, newest first. */
  async list(actor: Principal, query: z.output<typeof AuditListQuery>) {
    const since = instant(query.since, 'since');
    const until = instant(query.until, 'until');
    const rows = await this.repo.list(scopeOf(actor, 'audit:read'), {
      limit: query.limit, beforeSeq: cursorSeq(query.cursor), actor: query.actor, actionPrefix: query.action,
      tenant: query.tenant, target: query.target, outcome: query.outcome, since, until,
    });
    const more = rows.length > query.limit;
    const items = (more ? rows.slice(0, query.limit) : rows).map(toAuditEntry);
    return { items, nextCursor: more ? encodeCursor(String(items[items.length - 1].seq)) : null };
  }

  /**
   * Every entry the caller may read that matches the filters, as CSV text produced page by page (keyset on seq, newest first):
   * the same scope and filters as `list`, checked before the first byte so bad input is still a problem+json answer.
   */
  exportCsv(actor: Principal, query: z.output<typeof AuditExportQuery>): AsyncIterable<string> {
    const filter: Omit<AuditFilter, 'limit' | 'beforeSeq'> = {
      actor: query.actor, actionPrefix: query.action, tenant: query.tenant, target: query.target, outcome: query.outcome,
      since: instant(query.since, 'since'), until: instant(query.until, 'until'),
    };
    const scope = scopeOf(actor, 'audit:read');
    const repo = this.repo;
    return (async function* () {
      yield AUDIT_CSV_HEADER;
      let beforeSeq: number | undefined;
      for (;;) {
        const rows = await repo.list(scope, { ...filter, limit: EXPORT_PAGE_ROWS, beforeSeq });
        const page = rows.slice(0, EXPORT_PAGE_ROWS);
        // One chunk per page: fewer, larger writes than one per row.
        if (page.length) yield page.map((r) => auditCsvRow(toAuditEntry(r))).join('');
        if (rows.length <= EXPORT_PAGE_ROWS) return;
        beforeSeq = Number(page[page.length - 1].seq);
      }
    })();
  }

  /** Recomputes the chain; it spans every tenant, so it needs `audit:read` globally. */
  async verify(actor: Principal): Promise<ChainVerdict> {
    if (scopeOf(actor, 'audit:read') !== 'all') throw new ApiError('FORBIDDEN', 'verifying the audit chain needs audit:read globally');
    return this.audit.verify();
  }
}
