import { record } from '../../output';
import { defineCommand } from '../../registry';
import { operationFields } from './columns';

/** `novacron op get <id>`. */
export const opGetCommand = defineCommand({
  path: ['op', 'get'],
  summary: 'Show one operation',
  args: '<id>',
  minArgs: 1,
  async run(ctx) {
    const op = await ctx.api.call('operations.get', { params: { id: ctx.args[0] } });
    return record(op, operationFields(op));
  },
});
