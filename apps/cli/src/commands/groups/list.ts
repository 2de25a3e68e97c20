import { stringFlag } from '../../args';
import { table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { resolveTenant } from '../../resolve';
import { groupColumns } from './columns';

/** `novacron groups list`. */
export const groupsListCommand = defineCommand({
  path: ['groups', 'list'],
  summary: 'List groups (global groups only for global user administrators)',
  flags: {
    tenant: { type: 'string', value: 'TENANT', description: 'Only groups of this tenant (id or name)' },
    name: { type: 'string', value: 'TEXT', description: 'Only groups whose name contains TEXT' },
    ...pageFlags,
  },
  async run(ctx) {
    const ref = stringFlag(ctx.flags, 'tenant');
    const tenant = ref ? (await resolveTenant(ctx.api, ref)).id : undefined;
    const { data, items, note } = await listPages(ctx, (page) =>
      ctx.api.call('groups.list', { query: { ...page, tenant, name: stringFlag(ctx.flags, 'name') } }),
    );
    return table(data, items, groupColumns, note);
  },
});
