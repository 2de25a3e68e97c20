import { NodeState } from '@novacron/api';
import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record, table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { nodeColumns, nodeFields } from './columns';

/** `novacron node list`. */
export const nodeListCommand = defineCommand({
  path: ['node', 'list'],
  summary: 'List hypervisor nodes with their capacity, oldest first',
  flags: { state: { type: 'string', value: 'STATE', description: `Only this state: ${NodeState.options.join(', ')}` }, ...pageFlags },
  async run(ctx) {
    const state = stringFlag(ctx.flags, 'state');
    if (state !== undefined && !NodeState.safeParse(state).success) throw new UsageError(`--state: one of ${NodeState.options.join(', ')}`);
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('nodes.list', { query: { ...page, state: state as 'online' | 'offline' | undefined } }));
    return table(data, items, nodeColumns, note);
  },
});

/** `novacron node get <id>`. */
export const nodeGetCommand = defineCommand({
  path: ['node', 'get'],
  summary: 'Show one node',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    // Nodes are few: one page finds them by id, name or hostname; anything else is tried as an id.
    const ref = ctx.args[0];
    const page = await ctx.api.call('nodes.list', { query: { limit: 1000 } });
    const id = (page.items.find((n) => n.id === ref) ?? page.items.find((n) => n.name === ref || n.hostname === ref))?.id ?? ref;
    const node = await ctx.api.call('nodes.get', { params: { id } });
    return record(node, nodeFields(node));
  },
});
