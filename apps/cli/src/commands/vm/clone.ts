import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { operationResult, waitFlags } from '../../operation-result';
import { defineCommand } from '../../registry';
import { resolveVmId } from '../../resolve-compute';

/** `novacron vm clone <vm> --name NAME [--linked] [--start]`: the operation result names the new VM. */
export const vmCloneCommand = defineCommand({
  path: ['vm', 'clone'],
  summary: 'Clone a stopped VM or a template (the operation result names the new VM)',
  args: '<id|name>',
  minArgs: 1,
  flags: {
    name: { type: 'string', value: 'NAME', description: 'Name of the new VM (required)' },
    linked: { type: 'boolean', description: 'qcow2 overlays on the source disks instead of full copies' },
    start: { type: 'boolean', description: 'Start the clone once made' },
    ...waitFlags,
  },
  async run(ctx) {
    const name = stringFlag(ctx.flags, 'name');
    if (!name) throw new UsageError('--name is required');
    const id = await resolveVmId(ctx.api, ctx.args[0]);
    const op = await ctx.api.call('vms.clone', { params: { id }, body: { name, linked: ctx.flags.linked === true, start: ctx.flags.start === true } });
    return operationResult(ctx, op);
  },
});
