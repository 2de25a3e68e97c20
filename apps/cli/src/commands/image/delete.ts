import { text } from '../../output';
import { defineCommand } from '../../registry';
import { resolveImageId } from '../../resolve-compute';

/** `novacron image delete <image>`. */
export const imageDeleteCommand = defineCommand({
  path: ['image', 'delete'],
  summary: 'Delete an image no VM or volume uses',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    await ctx.api.call('images.delete', { params: { id: await resolveImageId(ctx.api, ctx.args[0]) } });
    return text(undefined, `Deleted image ${ctx.args[0]}`);
  },
});
