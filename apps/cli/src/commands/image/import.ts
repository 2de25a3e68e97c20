import { ImageKind } from '@novacron/api';
import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { operationResult, waitFlags } from '../../operation-result';
import { defineCommand, type FlagValues } from '../../registry';

type Kind = (typeof ImageKind.options)[number];

/** The body of `POST /api/v1/images` for the flags of `image import`. */
export function imageImportBody(flags: FlagValues): { name: string; kind: Kind; source: { path: string } | { url: string }; tenant?: string } {
  const name = stringFlag(flags, 'name');
  if (!name) throw new UsageError('--name is required');
  const kind = stringFlag(flags, 'kind');
  if (!kind || !ImageKind.safeParse(kind).success) throw new UsageError(`--kind is required: one of ${ImageKind.options.join(', ')}`);
  const path = stringFlag(flags, 'path');
  const url = stringFlag(flags, 'url');
  if ((path === undefined) === (url === undefined)) throw new UsageError('give exactly one of --path and --url (to send a local file use novacron image upload)');
  if (path !== undefined && !path.startsWith('/')) throw new UsageError('--path: an absolute path on the node');
  const tenant = stringFlag(flags, 'tenant');
  return { name, kind: kind as Kind, source: path !== undefined ? { path } : { url: url! }, ...(tenant ? { tenant } : {}) };
}

/** `novacron image import`: from a path on the node or an http(s) URL the node fetches. */
export const imageImportCommand = defineCommand({
  path: ['image', 'import'],
  summary: 'Import an image from a path on the node (inside NOVACRON_IMPORT_DIRS) or an http(s) URL',
  description: 'The answer is the import operation; its result holds the image id (result.imageId). To send a file from this machine use "novacron image upload".',
  flags: {
    name: { type: 'string', value: 'NAME', description: 'Image name (required)' },
    kind: { type: 'string', value: 'KIND', description: `${ImageKind.options.join(', ')} (required)` },
    path: { type: 'string', value: 'PATH', description: 'Absolute path on the node' },
    url: { type: 'string', value: 'URL', description: 'http(s) URL the node downloads' },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Owning tenant (default: yours)' },
    ...waitFlags,
  },
  async run(ctx) {
    const op = await ctx.api.call('images.create', { body: imageImportBody(ctx.flags) });
    return operationResult(ctx, op);
  },
});
