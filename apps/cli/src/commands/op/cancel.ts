import { record } from '../../output';
import { defineCommand } from '../../registry';
import { operationFields } from './columns';

/** `novacron op cancel <id>`. */
export const opCancelCommand = defineCommand({
  path: ['op', 'cancel'],
  summary: 'Cancel an operation that may be cancelled',
  args: '<id>',
  minArgs: 1,
  async run(ctx) {
    const op = await ctx.api.call('operations.cancel', { params: { id: ctx.args[0] } });
    return record(op, operationFields(op));
  },
});
