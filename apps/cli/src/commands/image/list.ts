import { ImageKind, ImageStatus } from '@novacron/api';
import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record, table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';
import { resolveImageId } from '../../resolve-compute';
import { imageColumns, imageFields } from './columns';

/** `novacron image list`. */
export const imageListCommand = defineCommand({
  path: ['image', 'list'],
  summary: 'List images, newest first',
  flags: {
    kind: { type: 'string', value: 'KIND', description: `Only this kind: ${ImageKind.options.join(', ')}` },
    status: { type: 'string', value: 'STATUS', description: `Only this status: ${ImageStatus.options.join(', ')}` },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Only images of this tenant' },
    text: { type: 'string', value: 'TEXT', description: 'Only images whose name contains TEXT' },
    ...pageFlags,
  },
  async run(ctx) {
    const kind = stringFlag(ctx.flags, 'kind');
    if (kind !== undefined && !ImageKind.safeParse(kind).success) throw new UsageError(`--kind: one of ${ImageKind.options.join(', ')}`);
    const status = stringFlag(ctx.flags, 'status');
    if (status !== undefined && !ImageStatus.safeParse(status).success) throw new UsageError(`--status: one of ${ImageStatus.options.join(', ')}`);
    const query = { kind, status, tenant: stringFlag(ctx.flags, 'tenant'), text: stringFlag(ctx.flags, 'text') };
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('images.list', { query: { ...page, ...query } as never }));
    return table(data, items, imageColumns, note);
  },
});

/** `novacron image get <image>`. */
export const imageGetCommand = defineCommand({
  path: ['image', 'get'],
  summary: 'Show one image',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    const image = await ctx.api.call('images.get', { params: { id: await resolveImageId(ctx.api, ctx.args[0]) } });
    return record(image, imageFields(image));
  },
});
