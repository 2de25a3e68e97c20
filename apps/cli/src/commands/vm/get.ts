import { record } from '../../output';
import { defineCommand } from '../../registry';
import { resolveVmId } from '../../resolve-compute';
import { vmFields } from './columns';

/** `novacron vm get <vm>`. */
export const vmGetCommand = defineCommand({
  path: ['vm', 'get'],
  summary: 'Show one VM',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    const vm = await ctx.api.call('vms.get', { params: { id: await resolveVmId(ctx.api, ctx.args[0]) } });
    return record(vm, vmFields(vm));
  },
});
