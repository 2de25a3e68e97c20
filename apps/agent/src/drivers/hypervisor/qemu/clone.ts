// Disk clones and templates for cloning stopped VMs:
// - full clone: `qemu-img convert` into a standalone image (the backing chain is flattened), written under a temporary
//   name and renamed, so a failed or aborted copy never leaves a half image under the real name;
// - linked clone: `qemu-img create -f qcow2 -b BASE -F FMT`, a copy-on-write overlay that reads unchanged data from BASE;
// - template: a base image made read-only (file mode 0444) so nothing writes it while linked clones depend on it.
// qemu-img takes QEMU's image locks, so copying a disk that a running VM writes fails with IN_USE instead of copying a
// torn image.
import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { AgentError } from '../../../lib/agent-error';
import { qemuImg, qemuImgInfo, type QemuImgInfo } from '../../storage/qemu-img';
import { asInUse } from './image-lock';

/** An image file and its format (always given: qemu-img never probes formats here). */
export interface ImageRef {
  path: string;
  format: 'qcow2' | 'raw';
}

/** What a clone produced. */
export interface CloneResult {
  path: string;
  format: 'qcow2' | 'raw';
  virtualSizeBytes: number;
  /** Bytes the new file takes on disk (a linked clone starts tiny). */
  actualSizeBytes: number;
  /** The base image of a linked clone. */
  backingFile?: string;
}

/** Copies `src` into a new standalone image `dst` (no backing file); grows it to `sizeBytes` if larger. Fails if `dst` exists. */
export async function fullClone(src: ImageRef, dst: ImageRef, opts: { sizeBytes?: number; signal?: AbortSignal } = {}): Promise<CloneResult> {
  checkPath(src.path);
  checkPath(dst.path);
  await refuseExisting(dst.path);
  const tmp = join(dirname(dst.path), `.${basename(dst.path)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await qemuImg(['convert', '-q', '-f', src.format, '-O', dst.format, src.path, tmp], { signal: opts.signal, timeoutMs: 6 * 3_600_000 });
    const copied = await qemuImgInfo(tmp, dst.format);
    if (opts.sizeBytes && opts.sizeBytes > copied.virtualSizeBytes) await qemuImg(['resize', '-q', '-f', dst.format, tmp, String(opts.sizeBytes)]);
    await rename(tmp, dst.path);
  } catch (error) {
    await rm(tmp, { force: true }); // undo: nothing half-copied is left behind
    throw asInUse(error);
  }
  return describe(dst, await qemuImgInfo(dst.path, dst.format));
}

/**
 * Creates `overlayPath`, a qcow2 overlay backed by `base` (absolute path, format pinned with -F). The base must not be
 * written afterwards: mark it as a template. Refuses a base that a running VM holds (its content would change under
 * the clone).
 */
export async function linkedClone(base: ImageRef, overlayPath: string, opts: { sizeBytes?: number } = {}): Promise<CloneResult> {
  checkPath(base.path);
  checkPath(overlayPath);
  await refuseExisting(overlayPath);
  // qemu-img info takes the image lock: a base opened read-write by a running QEMU fails here with IN_USE.
  const baseInfo = await qemuImgInfo(base.path, base.format).catch((error: unknown) => {
    throw asInUse(error);
  });
  const size = Math.max(opts.sizeBytes ?? 0, baseInfo.virtualSizeBytes);
  try {
    await qemuImg(['create', '-q', '-f', 'qcow2', '-b', base.path, '-F', base.format, overlayPath, String(size)]);
  } catch (error) {
    await rm(overlayPath, { force: true });
    throw asInUse(error);
  }
  return describe({ path: overlayPath, format: 'qcow2' }, await qemuImgInfo(overlayPath, 'qcow2'));
}

/** Marks an image as a template: read-only for everyone (0444). Linked clones of it stay valid as long as it is. */
export async function markTemplate(path: string): Promise<void> {
  checkPath(path);
  await chmod(path, 0o444);
}

/** Makes a template writable again (0600); only safe once no linked clone depends on it. */
export async function unmarkTemplate(path: string): Promise<void> {
  checkPath(path);
  await chmod(path, 0o600);
}

/** Whether the image is marked as a template (no write permission bits). */
export async function isTemplate(path: string): Promise<boolean> {
  checkPath(path);
  return ((await stat(path)).mode & 0o222) === 0;
}

/**
 * Throws INVALID_STATE when a disk a VM would open read-write is a template. The driver calls this before starting a
 * VM: the agent runs as root, and root (so QEMU) may write a 0444 file, so the mode alone protects nothing.
 */
export async function assertNotTemplate(disks: ReadonlyArray<ImageRef & { readonly?: boolean }>): Promise<void> {
  for (const disk of disks) {
    if (!disk.readonly && (await isTemplate(disk.path))) {
      throw new AgentError('INVALID_STATE', `${disk.path} is a template (read-only base of linked clones); clone it instead of starting it`);
    }
  }
}

function describe(ref: ImageRef, info: QemuImgInfo): CloneResult {
  return { path: ref.path, format: ref.format, virtualSizeBytes: info.virtualSizeBytes, actualSizeBytes: info.actualSizeBytes, backingFile: info.backingFile };
}

function checkPath(path: string): void {
  if (!isAbsolute(path)) throw new AgentError('BAD_REQUEST', `image path must be absolute: ${path}`);
}

async function refuseExisting(path: string): Promise<void> {
  if (await stat(path).catch(() => undefined)) throw new AgentError('IN_USE', `${path} already exists`);
}
