import { operationResult, waitFlags } from '../../operation-result';
import { defineCommand } from '../../registry';
import { resolveVmId } from '../../resolve-compute';

/** `novacron vm delete <vm> [--force]`. */
export const vmDeleteCommand = defineCommand({
  path: ['vm', 'delete'],
  summary: 'Stop and delete a VM with the volumes made for it (attached volumes are kept)',
  args: '<id|name>',
  minArgs: 1,
  flags: { force: { type: 'boolean', description: 'Forget a VM whose node is gone for good (its files stay on the node)' }, ...waitFlags },
  async run(ctx) {
    const id = await resolveVmId(ctx.api, ctx.args[0]);
    const op = await ctx.api.call('vms.delete', { params: { id }, query: { force: ctx.flags.force ? 'true' : 'false' } } as never);
    return operationResult(ctx, op);
  },
});
