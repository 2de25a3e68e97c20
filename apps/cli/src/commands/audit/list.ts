import type { AuditEntry } from '@novacron/api';
import { stringFlag } from '../../args';
import { col, shortTime, table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';

/** `novacron audit list`. */
export const auditListCommand = defineCommand({
  path: ['audit', 'list'],
  summary: 'List audit entries, newest first',
  flags: {
    actor: { type: 'string', value: 'ID|EMAIL', description: 'Only entries by this actor' },
    action: { type: 'string', value: 'PREFIX', description: 'Only actions starting with PREFIX (users. matches users.create, ...)' },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Only entries of this tenant' },
    target: { type: 'string', value: 'ID', description: 'Only entries about this target' },
    outcome: { type: 'string', value: 'OUTCOME', description: 'success, failure or denied' },
    since: { type: 'string', value: 'TIME', description: 'Entries at or after this ISO-8601 time (2026-12-01T00:00:00Z)' },
    until: { type: 'string', value: 'TIME', description: 'Entries before this ISO-8601 time' },
    ...pageFlags,
  },
  async run(ctx) {
    const filters = Object.fromEntries(
      ['actor', 'action', 'tenant', 'target', 'outcome', 'since', 'until'].map((k) => [k, stringFlag(ctx.flags, k)]),
    );
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
