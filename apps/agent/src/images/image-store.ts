import type { ImageKind } from '@novacron/api';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError } from '../lib/agent-error';
import { isErrno, writeFileAtomic } from '../lib/fs-util';

/** Formats of stored images: disks are qcow2 or raw after import; the others are kept byte for byte. */
export type StoredImageFormat = 'qcow2' | 'raw' | 'iso' | 'kernel' | 'initrd';

/** What the agent knows about an imported image (`<images>/<id>/meta.json`). */
export interface StoredImageMeta {
  imageId: string;
  kind: (typeof ImageKind.options)[number];
  format: StoredImageFormat;
  sizeBytes: number;
  virtualSizeBytes: number;
  sha256: string;
  importedAt: string;
}

/** An imported image and the file that holds it. */
export interface StoredImage extends StoredImageMeta {
  path: string;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The node's image library: `<dir>/<imageId>/{data,meta.json}`, filled atomically from a staging area. */
export class ImageStore {
  constructor(readonly dir: string) {}

  /** The image, or undefined when it was never imported (or was deleted). */
  async get(imageId: string): Promise<StoredImage | undefined> {
    checkId(imageId);
    try {
      const meta = JSON.parse(await readFile(join(this.dir, imageId, 'meta.json'), 'utf8')) as StoredImageMeta;
      return { ...meta, path: join(this.dir, imageId, 'data') };
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /** The image, or NOT_FOUND; with `kinds`, BAD_REQUEST when it is of another kind. */
  async require(imageId: string, kinds?: readonly string[]): Promise<StoredImage> {
    const image = await this.get(imageId);
    if (!image) throw new AgentError('NOT_FOUND', `image ${imageId} is not on this node`);
    if (kinds && !kinds.includes(image.kind)) throw new AgentError('BAD_REQUEST', `image ${imageId} is a ${image.kind}, expected ${kinds.join(' or ')}`);
    return image;
  }

  /** A fresh private staging directory for one import; the caller removes it (or commits it). */
  async staging(): Promise<string> {
    const dir = join(this.dir, '.staging', randomBytes(8).toString('hex'));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * Publishes `<staging>/data` as image `meta.imageId` by renaming the staging directory, so readers see the whole image
   * or none of it. If another import of the same id won the race, its image is kept and returned.
   */
  async commit(stagingDir: string, meta: StoredImageMeta): Promise<StoredImage> {
    await writeFileAtomic(join(stagingDir, 'meta.json'), JSON.stringify(meta, null, 2), 0o600);
    try {
      await rename(stagingDir, join(this.dir, meta.imageId));
    } catch (error) {
      if (!isErrno(error, 'ENOTEMPTY') && !isErrno(error, 'EEXIST')) throw error;
      await rm(stagingDir, { recursive: true, force: true });
    }
    return this.require(meta.imageId);
  }

  /** Removes an image; absent is fine. */
  async delete(imageId: string): Promise<void> {
    checkId(imageId);
    // Rename first so a concurrent reader never sees a directory without its data.
    const doomed = join(this.dir, '.staging', `deleted-${imageId}-${randomBytes(4).toString('hex')}`);
    await mkdir(join(this.dir, '.staging'), { recursive: true, mode: 0o700 });
    try {
      await rename(join(this.dir, imageId), doomed);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw error;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  /** Removes staging leftovers of imports interrupted by an agent restart. */
  async cleanStaging(): Promise<void> {
    await rm(join(this.dir, '.staging'), { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }
}

function checkId(imageId: string): void {
  if (!ID.test(imageId)) throw new AgentError('BAD_REQUEST', `invalid image id ${JSON.stringify(imageId)}`);
}
