import type { PoolSpec, PoolStatus } from '@novacron/api';
import { mkdir, readdir, rm, stat, statfs } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { AgentError } from '../../../lib/agent-error';
import { isErrno } from '../../../lib/fs-util';
import { qemuImgConvert, qemuImgCreate, qemuImgInfo, qemuImgResize } from '../qemu-img';
import type { StorageDriver, StorageDriverInfo, VolumeAttachment, VolumeFormat, VolumeInfo, VolumeOrigin } from '../driver';

const VOLUME_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FORMATS: readonly VolumeFormat[] = ['qcow2', 'raw'];

/** The `dir` driver: a pool is a directory, a volume is `<pool.path>/<volumeId>.<format>` made with qemu-img. */
export class DirStorageDriver implements StorageDriver {
  info(): StorageDriverInfo {
    return { name: 'dir', capabilities: { formats: [...FORMATS], linkedClones: true, grow: true, internalSnapshots: true, shared: false } };
  }

  async ensurePool(pool: PoolSpec): Promise<void> {
    checkPool(pool);
    await mkdir(pool.path, { recursive: true, mode: 0o700 });
  }

  async poolStatus(pool: PoolSpec): Promise<PoolStatus> {
    try {
      await this.ensurePool(pool);
      const fs = await statfs(pool.path);
      let allocationBytes = 0;
      for (const entry of await readdir(pool.path, { withFileTypes: true })) {
        if (!entry.isFile() || !/\.(qcow2|raw)$/.test(entry.name)) continue;
        const st = await stat(join(pool.path, entry.name)).catch(() => undefined);
        allocationBytes += st ? st.blocks * 512 : 0; // allocated, not apparent: sparse files count what they use
      }
      return { poolId: pool.id, capacityBytes: fs.blocks * fs.bsize, availableBytes: fs.bavail * fs.bsize, allocationBytes };
    } catch (error) {
      return { poolId: pool.id, capacityBytes: 0, availableBytes: 0, allocationBytes: 0, error: (error as Error).message };
    }
  }

  attachment(pool: PoolSpec, volumeId: string, format: VolumeFormat): VolumeAttachment {
    return { type: 'file', path: volumePath(pool, volumeId, format), format };
  }

  async exists(pool: PoolSpec, volumeId: string, format: VolumeFormat): Promise<boolean> {
    return (await stat(volumePath(pool, volumeId, format)).catch(() => undefined))?.isFile() ?? false;
  }

  async create(
    pool: PoolSpec,
    req: { volumeId: string; format: VolumeFormat; sizeBytes: number; from?: VolumeOrigin; linked?: boolean },
  ): Promise<VolumeInfo> {
    const path = volumePath(pool, req.volumeId, req.format);
    await this.ensurePool(pool);
    if (await this.exists(pool, req.volumeId, req.format)) throw new AgentError('IN_USE', `volume ${req.volumeId} already exists in pool ${pool.id}`);
    await this.checkSpace(pool, req);
    try {
      if (req.from && req.linked) {
        if (req.format !== 'qcow2') throw new AgentError('BAD_REQUEST', 'a linked volume must be qcow2');
        const base = await qemuImgInfo(req.from.path, req.from.format);
        await qemuImgCreate(path, 'qcow2', Math.max(req.sizeBytes, base.virtualSizeBytes), req.from);
      } else if (req.from) {
        await qemuImgConvert(req.from, { path, format: req.format });
        const copied = await qemuImgInfo(path, req.format);
        if (req.sizeBytes > copied.virtualSizeBytes) await qemuImgResize(path, req.format, req.sizeBytes);
      } else {
        if (req.sizeBytes < 1) throw new AgentError('BAD_REQUEST', 'an empty volume needs sizeBytes >= 1');
        await qemuImgCreate(path, req.format, req.sizeBytes);
      }
    } catch (error) {
      await rm(path, { force: true }); // undo: a failed create leaves nothing behind
      throw error;
    }
    return this.volumeInfo(pool, req.volumeId, req.format);
  }

  async resize(pool: PoolSpec, volumeId: string, format: VolumeFormat, sizeBytes: number): Promise<VolumeInfo> {
    const current = await this.volumeInfo(pool, volumeId, format);
    if (sizeBytes < current.sizeBytes) throw new AgentError('BAD_REQUEST', `volume ${volumeId} is ${current.sizeBytes} bytes; shrinking is not supported`);
    if (sizeBytes > current.sizeBytes) await qemuImgResize(volumePath(pool, volumeId, format), format, sizeBytes);
    return this.volumeInfo(pool, volumeId, format);
  }

  async volumeInfo(pool: PoolSpec, volumeId: string, format: VolumeFormat): Promise<VolumeInfo> {
    const path = volumePath(pool, volumeId, format);
    const st = await stat(path).catch((error: unknown) => {
      throw isErrno(error, 'ENOENT') ? new AgentError('NOT_FOUND', `volume ${volumeId} not found in pool ${pool.id}`) : error;
    });
    const info = await qemuImgInfo(path, format);
    return { sizeBytes: info.virtualSizeBytes, allocationBytes: st.blocks * 512 };
  }

  async delete(pool: PoolSpec, volumeId: string, format: VolumeFormat): Promise<void> {
    await rm(volumePath(pool, volumeId, format), { force: true });
  }

  // A full copy writes all its data at once; refuse early rather than fill the disk half way (new files are sparse).
  private async checkSpace(pool: PoolSpec, req: { from?: VolumeOrigin; linked?: boolean }): Promise<void> {
    if (!req.from || req.linked) return;
    const fs = await statfs(pool.path);
    const need = (await qemuImgInfo(req.from.path, req.from.format)).actualSizeBytes;
    if (need > fs.bavail * fs.bsize) throw new AgentError('CAPACITY_EXCEEDED', `pool ${pool.id} has ${fs.bavail * fs.bsize} bytes free, ${need} needed`);
  }
}

function checkPool(pool: PoolSpec): void {
  if (!isAbsolute(pool.path)) throw new AgentError('BAD_REQUEST', `pool ${pool.id}: path must be absolute`);
}

/** `<pool.path>/<volumeId>.<format>`; ids are protocol ids, so the result cannot leave the pool directory. */
function volumePath(pool: PoolSpec, volumeId: string, format: VolumeFormat): string {
  checkPool(pool);
  if (!VOLUME_ID.test(volumeId)) throw new AgentError('BAD_REQUEST', `invalid volume id ${JSON.stringify(volumeId)}`);
  if (!FORMATS.includes(format)) throw new AgentError('BAD_REQUEST', `unsupported volume format ${String(format)}`);
  return join(pool.path, `${volumeId}.${format}`);
}
