import { OperationStatus } from '@novacron/api';
import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { operationColumns } from './columns';

/** `novacron op list`. */
export const opListCommand = defineCommand({
  path: ['op', 'list'],
  summary: 'List running and recent operations, newest first',
  flags: {
    status: { type: 'string', value: 'STATUS', description: `Only this status: ${OperationStatus.options.join(', ')}` },
    resource: { type: 'string', value: 'RESOURCE', description: 'Only operations on this resource (vm/ID)' },
    ...pageFlags,
  },
  async run(ctx) {
    const status = stringFlag(ctx.flags, 'status');
    if (status !== undefined && !OperationStatus.safeParse(status).success) throw new UsageError(`--status: one of ${OperationStatus.options.join(', ')}`);
    const { data, items, note } = await listPages(ctx, (page) =>
      ctx.api.call('operations.list', { query: { ...page, status: status as never, resource: stringFlag(ctx.flags, 'resource') } }),
    );
    return table(data, items, operationColumns, note);
  },
});
