import type { ApiToken } from '@novacron/api';
import { col, shortTime, table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';

/** `novacron tokens list`. */
export const tokensListCommand = defineCommand({
  path: ['tokens', 'list'],
  summary: 'List your API tokens',
  flags: { ...pageFlags },
  async run(ctx) {
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('tokens.list', { query: page }));
    return table(data, items, [
      col<ApiToken>('id', (t) => t.id),
      col<ApiToken>('name', (t) => t.name),
      col<ApiToken>('role', (t) => t.role),
      col<ApiToken>('tenant', (t) => t.tenantId ?? '(all)'),
      col<ApiToken>('prefix', (t) => t.prefix),
      col<ApiToken>('expires', (t) => shortTime(t.expiresAt) ?? 'never'),
      col<ApiToken>('last used', (t) => shortTime(t.lastUsedAt)),
    ], note);
  },
});
