import { createHash } from 'node:crypto';
import type { AuditRow } from '../store/schema';

/** The hash that precedes the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hash of an entry: SHA-256 over the previous hash and every field, in a fixed order. */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const fields = [
    row.seq, row.id, row.time, row.actor_id, row.actor_label, row.tenant_id, row.action,
    row.target, row.outcome, row.ip, row.request_id, row.details, row.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
