import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { userColumns } from './columns';

/** `novacron users list`. */
export const usersListCommand = defineCommand({
  path: ['users', 'list'],
  summary: 'List users',
  flags: {
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Only users of this home tenant' },
    text: { type: 'string', value: 'TEXT', description: 'Only users whose email or name contains TEXT' },
    disabled: { type: 'boolean', description: 'Only disabled users' },
    enabled: { type: 'boolean', description: 'Only enabled users' },
    ...pageFlags,
  },
  async run(ctx) {
    if (ctx.flags.disabled && ctx.flags.enabled) throw new UsageError('--disabled and --enabled exclude each other');
    const disabled = ctx.flags.disabled ? 'true' : ctx.flags.enabled ? 'false' : undefined;
    const { data, items, note } = await listPages(ctx, (page) =>
      ctx.api.call('users.list', { query: { ...page, tenant: stringFlag(ctx.flags, 'tenant'), text: stringFlag(ctx.flags, 'text'), disabled } }),
    );
    return table(data, items, userColumns, note);
  },
});
