import { stringFlag } from '../../args';
import { operationResult, waitFlags } from '../../operation-result';
import { defineCommand } from '../../registry';
import { resolveImageId } from '../../resolve-compute';
import { checkVmCreateFlags, vmCreateBody, vmCreateFlags, type ResolvedImages } from './create-body';

/** `novacron vm create`: answers the create operation (its result names the VM), or with --wait the ended operation. */
export const vmCreateCommand = defineCommand({
  path: ['vm', 'create'],
  summary: 'Create a VM (and start it with --start)',
  description:
    'Boot from a disk image (--image, optionally grown with --disk-size) or directly from a kernel (--kernel-image, --initrd-image, --cmdline).\n' +
    'The answer is the create operation; its result holds the VM id (result.vmId).',
  flags: { ...vmCreateFlags, ...waitFlags },
  async run(ctx) {
    checkVmCreateFlags(ctx.flags);
    const images: ResolvedImages = {};
    for (const [flag, key] of [['kernel-image', 'kernelImage'], ['initrd-image', 'initrdImage'], ['image', 'image']] as const) {
      const ref = stringFlag(ctx.flags, flag);
      if (ref) images[key] = await resolveImageId(ctx.api, ref);
    }
    const op = await ctx.api.call('vms.create', { body: vmCreateBody(ctx.flags, images) as never });
    return operationResult(ctx, op);
  },
});
