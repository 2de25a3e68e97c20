import { stringFlag } from '../../args';
import { table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { tenantColumns } from './quotas';

/** `novacron tenants list`. */
export const tenantsListCommand = defineCommand({
  path: ['tenants', 'list'],
  summary: 'List tenants with usage and quotas',
  flags: { text: { type: 'string', value: 'TEXT', description: 'Only tenants whose name contains TEXT' }, ...pageFlags },
  async run(ctx) {
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('tenants.list', { query: { ...page, text: stringFlag(ctx.flags, 'text') } }));
    return table(data, items, tenantColumns, note);
  },
});
