import type { AuditEntry } from '@novacron/api';
import { col, shortTime, table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { auditFilterFlags, auditFilters } from './audit-filters';

/** `novacron audit list`. */
export const auditListCommand = defineCommand({
  path: ['audit', 'list'],
  summary: 'List audit entries, newest first',
  flags: {
    ...auditFilterFlags,
    ...pageFlags,
  },
  async run(ctx) {
    const filters = auditFilters(ctx.flags);
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('audit.list', { query: { ...filters, ...page } }));
    return table(data, items, [
      col<AuditEntry>('seq', (e) => e.seq),
      col<AuditEntry>('time', (e) => shortTime(e.time)),
      col<AuditEntry>('actor', (e) => e.actorLabel),
      col<AuditEntry>('action', (e) => e.action),
      col<AuditEntry>('target', (e) => e.target),
      col<AuditEntry>('outcome', (e) => e.outcome),
      col<AuditEntry>('ip', (e) => e.ip),
    ], note);
  },
});
