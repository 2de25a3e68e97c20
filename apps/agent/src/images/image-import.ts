import type { CommandArgs, CommandResultOf } from '@novacron/api';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError } from '../lib/agent-error';
import { qemuImgConvert, qemuImgInfo, type QemuImgInfo } from '../drivers/storage/qemu-img';
import { fetchImageSource, type FetchContext } from './image-source';
import type { ImageStore, StoredImageFormat, StoredImageMeta } from './image-store';

// Formats accepted for disk images: qcow2 and raw are kept, the others (single-file formats only) become qcow2.
const CONVERTIBLE = new Set(['vdi', 'vhdx', 'vpc']);

/** Imports an image: fetch (path inside importDirs, URL, upload), inspect, convert disks, checksum, publish atomically. */
export async function importImage(
  store: ImageStore,
  args: CommandArgs<'image.import'>,
  ctx: Omit<FetchContext, 'importDirs' | 'maxBytes' | 'onBytes'> & { progress(percent: number, detail?: string): void },
): Promise<CommandResultOf<'image.import'>> {
  const existing = await store.get(args.imageId);
  if (existing) return resultOf(existing); // a repeated import of the same id is answered, not redone
  const staging = await store.staging();
  try {
    const raw = join(staging, 'download');
    const fetched = await fetchImageSource(args.source, raw, {
      ...ctx,
      importDirs: args.importDirs,
      maxBytes: args.maxBytes,
      onBytes: (copied, total) => ctx.progress(total ? Math.min(90, Math.floor((copied / total) * 90)) : 0, `${copied} bytes`),
    });
    ctx.progress(90, 'inspecting');
    const data = join(staging, 'data');
    const meta = await inspect(args, raw, data, fetched, ctx.signal);
    const image = await store.commit(staging, meta);
    ctx.progress(100);
    return resultOf(image);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function inspect(
  args: CommandArgs<'image.import'>,
  raw: string,
  data: string,
  fetched: { sizeBytes: number; sha256: string },
  signal: AbortSignal,
): Promise<StoredImageMeta> {
  const base = { imageId: args.imageId, kind: args.kind, importedAt: new Date().toISOString() };
  if (args.kind !== 'disk') {
    await checkMagic(args.kind, raw, fetched.sizeBytes);
    await rename(raw, data);
    const format: StoredImageFormat = args.kind;
    return { ...base, format, sizeBytes: fetched.sizeBytes, virtualSizeBytes: fetched.sizeBytes, sha256: fetched.sha256 };
  }
  const info = await qemuImgInfo(raw, undefined, signal);
  refuseReferences(info);
  if (info.format === 'qcow2' || info.format === 'raw') {
    await rename(raw, data);
    return { ...base, format: info.format, sizeBytes: fetched.sizeBytes, virtualSizeBytes: info.virtualSizeBytes, sha256: fetched.sha256 };
  }
  if (!CONVERTIBLE.has(info.format)) throw new AgentError('BAD_REQUEST', `disk image format ${info.format} is not supported`);
  await qemuImgConvert({ path: raw, format: info.format }, { path: data, format: 'qcow2' }, signal);
  await rm(raw, { force: true });
  const converted = await qemuImgInfo(data, 'qcow2', signal);
  const digest = await sha256File(data);
  return { ...base, format: 'qcow2', sizeBytes: digest.sizeBytes, virtualSizeBytes: converted.virtualSizeBytes, sha256: digest.sha256 };
}

// A disk image that names other files (backing file, qcow2 data file, vmdk extents) would let a guest read host files.
function refuseReferences(info: QemuImgInfo): void {
  if (info.backingFile) throw new AgentError('BAD_REQUEST', 'disk images with a backing file are refused (flatten it first)');
  if (info.dataFile) throw new AgentError('BAD_REQUEST', 'qcow2 images with an external data file are refused');
  if (info.format === 'vmdk') throw new AgentError('BAD_REQUEST', 'vmdk images are refused (their extents may name other host files); convert to qcow2 first');
}

async function checkMagic(kind: 'iso' | 'kernel' | 'initrd', path: string, size: number): Promise<void> {
  const at = async (offset: number, length: number): Promise<string> => {
    const handle = await open(path, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead).toString('latin1');
    } finally {
      await handle.close();
    }
  };
  if (size === 0) throw new AgentError('BAD_REQUEST', `${kind} image is empty`);
  if (kind === 'iso' && (await at(0x8001, 5)) !== 'CD001') throw new AgentError('BAD_REQUEST', 'not an ISO 9660 image (no CD001 descriptor)');
  if (kind === 'kernel' && (await at(0x202, 4)) !== 'HdrS') throw new AgentError('BAD_REQUEST', 'not an x86 Linux kernel (bzImage header missing)');
}

async function sha256File(path: string): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}

function resultOf(image: StoredImageMeta): CommandResultOf<'image.import'> {
  return { format: image.format, sizeBytes: image.sizeBytes, virtualSizeBytes: image.virtualSizeBytes, sha256: image.sha256 };
}
