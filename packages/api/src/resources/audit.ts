import { z } from 'zod';
import { Id, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

/** One entry of the append-only, hash-chained audit log. */
export const AuditEntry = z.object({
  /** Position in the chain: 1, 2, 3, ... without gaps. */
  seq: z.number().int(),
  id: z.string(),
  time: Timestamp,
  actorId: z.string().nullable(),
  /** Email of the actor (with the token id for API tokens), or `anonymous`. */
  actorLabel: z.string(),
  tenantId: z.string().nullable(),
  /** Route id (`users.create`) or event (`auth.login`, `permission.denied`). */
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
/** An audit entry as the API returns it. */
export type AuditEntry = z.infer<typeof AuditEntry>;

const Instant = z.iso.datetime({ offset: true });

/** Filters of the audit list; all optional and combined with AND. */
export const AuditListQuery = PageQuery.extend({
  /** Actor id or actor label (email), exact. */
  actor: z.string().min(1).max(320).optional(),
  /** Action prefix: `users.` matches `users.create`, `users.delete`, ... */
  action: z.string().min(1).max(100).optional(),
  tenant: Id.optional(),
  target: z.string().min(1).max(200).optional(),
  /** `success`, `failure` or `denied`. */
  outcome: z.string().min(1).max(32).regex(/^[a-z_]+$/).optional(),
  /** Entries at or after this instant. */
  since: Instant.optional(),
  /** Entries before this instant. */
  until: Instant.optional(),
});

/** Filters of the CSV export: those of the list, without paging (the export holds every matching entry). */
export const AuditExportQuery = AuditListQuery.omit({ limit: true, cursor: true });

/** Columns of the CSV export, in order; `details` is the JSON text of the entry's details. */
export const AUDIT_CSV_COLUMNS = ['seq', 'id', 'time', 'actorId', 'actorLabel', 'tenantId', 'action', 'target', 'outcome', 'ip', 'requestId', 'details', 'prevHash', 'hash'] as const;

/** Result of recomputing the hash chain. */
export const AuditVerdict = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBrokenSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
});

/** Audit routes: read and verify only; no API edits or deletes entries. */
export const auditRoutes = {
  'audit.list': defineRoute({
    method: 'GET', path: '/api/v1/audit', access: 'audit:read', tenantScoped: true, tag: 'audit',
    summary: 'Audit entries newest first; audit:read on a tenant shows that tenant\'s entries, held globally shows all',
    query: AuditListQuery, response: Page(AuditEntry),
  }),
  'audit.export': defineRoute({
    method: 'GET', path: '/api/v1/audit/export', access: 'audit:read', tenantScoped: true, tag: 'audit', produces: 'text/csv',
    summary: 'Every audit entry matching the list filters as CSV (RFC 4180, header row, newest first), streamed; cells starting with = + - @ are prefixed with \' against formula injection',
    query: AuditExportQuery, response: z.string(),
  }),
  'audit.verify': defineRoute({
    method: 'GET', path: '/api/v1/audit/verify', access: 'audit:read', tag: 'audit',
    summary: 'Recomputes the whole hash chain and names the first broken entry; needs audit:read globally',
    response: AuditVerdict,
  }),
};
