import { ImageKind, type Operation } from '@novacron/api';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { stringFlag } from '../../args';
import { CliError, ExitCode, UsageError } from '../../exit-codes';
import { operationResult, waitFlags } from '../../operation-result';
import { readApiAnswer } from '../../raw-request';
import { defineCommand } from '../../registry';

type Kind = (typeof ImageKind.options)[number];

const KIND_BY_EXTENSION: Record<string, Kind> = { iso: 'iso', qcow2: 'disk', img: 'disk', raw: 'disk' };

/** The kind of an image file from its extension, when it is unambiguous. */
export function guessImageKind(file: string): Kind | undefined {
  return KIND_BY_EXTENSION[file.toLowerCase().split('.').pop() ?? ''];
}

/** An image name from a file name: its base name, cut to the characters and length names allow. */
export function imageNameFromFile(file: string): string {
  return basename(file).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 63) || 'image';
}

/** `novacron image upload <file>`: streams a local file to the server (never held in memory). */
export const imageUploadCommand = defineCommand({
  path: ['image', 'upload'],
  summary: 'Upload a local image file (streamed) and import it',
  description: 'The kind is guessed from .iso, .qcow2, .img and .raw; otherwise give --kind. The answer is the import operation (result.imageId).',
  args: '<file>',
  minArgs: 1,
  flags: {
    name: { type: 'string', value: 'NAME', description: 'Image name (default: the file name)' },
    kind: { type: 'string', value: 'KIND', description: `${ImageKind.options.join(', ')} (default: from the extension)` },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Owning tenant (default: yours)' },
    ...waitFlags,
  },
  async run(ctx) {
    const file = ctx.args[0];
    const kind = stringFlag(ctx.flags, 'kind') ?? guessImageKind(file);
    if (!kind || !ImageKind.safeParse(kind).success) throw new UsageError(`--kind: one of ${ImageKind.options.join(', ')} (cannot tell from the file name)`);
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (err) {
      throw new CliError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`, ExitCode.NOT_FOUND);
    }
    const query = new URLSearchParams({ name: stringFlag(ctx.flags, 'name') ?? imageNameFromFile(file), kind });
    const tenant = stringFlag(ctx.flags, 'tenant');
    if (tenant) query.set('tenant', tenant);
    const res = await ctx.api.fetchRaw(`/api/v1/images/upload?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    });
    return operationResult(ctx, await readApiAnswer<Operation>(res));
  },
});
