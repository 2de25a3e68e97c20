import { ApiError, type CommandArgs, type Operation, type Volume } from '@novacron/api';
import type { z } from 'zod';
import type { VolumeCreate, VolumeListQuery } from '@novacron/api';
import { scopeOf, type Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import { pickNode } from '../compute/pick-node';
import { GiB } from '../compute/quota';
import { narrow, targetTenant } from '../compute/tenancy';
import type { Undo } from '../compute/undo';
import { newId } from '../lib/ids';
import { decodeCursor, toPage } from '../lib/pagination';
import type { StoragePoolRow, VolumeRow } from '../store/compute-schema';
import type { StoragePoolService } from './storage-pool.service';
import { toPoolSpec } from './storage-pool.service';
import type { StorageRepository } from './storage.repository';

/** Row → wire shape. */
export function toVolume(r: VolumeRow): Volume {
  return {
    id: r.id, name: r.name, tenantId: r.tenant_id, poolId: r.pool_id, nodeId: r.node_id, format: r.format as Volume['format'],
    sizeGiB: Math.ceil(Number(r.size_bytes) / GiB), sizeBytes: Number(r.size_bytes),
    allocationBytes: r.allocation_bytes === null ? null : Number(r.allocation_bytes), state: r.state as Volume['state'],
    attachedTo: r.attached_vm_id ? { vmId: r.attached_vm_id, diskId: r.attached_disk_id ?? '' } : null,
    ownerVmId: r.owner_vm_id, sourceImageId: r.source_image_id, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** A volume to make on a node. */
export interface ProvisionRequest {
  tenantId: string;
  name: string;
  pool: StoragePoolRow;
  nodeId: string;
  format: 'qcow2' | 'raw';
  sizeBytes: number;
  from?: { type: 'image'; image: string } | { type: 'volume'; volume: VolumeRow; pool: StoragePoolRow };
  linked?: boolean;
  ownerVmId?: string | null;
  attach?: { vmId: string; diskId: string };
}

/** Volumes: tenant-owned disks in storage pools, created and changed on their node through its agent. */
export class VolumeService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: StorageRepository,
    private readonly pools: StoragePoolService,
  ) {}

  private now() {
    return this.d.clock.now().toISOString();
  }

  async list(p: Principal, q: z.output<typeof VolumeListQuery>) {
    const scope = narrow(scopeOf(p, 'storage:read'), q.tenant);
    const pool = q.pool ? (await this.pools.resolve(q.pool)).id : undefined;
    const rows = await this.repo.volumes(scope, { limit: q.limit, before: decodeCursor(q.cursor), pool, state: q.state, text: q.text });
    return toPage(rows, q.limit, toVolume);
  }

  /** One volume the caller may see with `permission`. */
  async row(p: Principal, id: string, permission: 'storage:read' | 'storage:write' = 'storage:read'): Promise<VolumeRow> {
    const row = await this.repo.volume(id, scopeOf(p, permission));
    if (!row) throw new ApiError('NOT_FOUND', `volume ${id} not found`);
    return row;
  }

  async get(p: Principal, id: string): Promise<Volume> {
    return toVolume(await this.row(p, id));
  }

  /** Makes a volume file on its node; registers its undo. The caller checked the quota. */
  async provision(req: ProvisionRequest, undo: Undo, signal?: AbortSignal): Promise<VolumeRow> {
    const now = this.now();
    const row: VolumeRow = {
      id: newId(), tenant_id: req.tenantId, name: req.name, pool_id: req.pool.id, node_id: req.nodeId, format: req.format,
      size_bytes: req.sizeBytes, allocation_bytes: null, state: 'creating', attached_vm_id: null, attached_disk_id: null,
      owner_vm_id: req.ownerVmId ?? null, source_image_id: req.from?.type === 'image' ? req.from.image : null,
      backing_volume_id: req.from?.type === 'volume' && req.linked ? req.from.volume.id : null, created_at: now, updated_at: now,
    };
    await this.repo.insertVolume(row);
    undo.push(`forget volume ${row.name}`, () => this.repo.deleteVolume(row.id));
    const from: CommandArgs<'volume.create'>['from'] = req.from?.type === 'image'
      ? { type: 'image', image: req.from.image }
      : req.from?.type === 'volume'
        ? { type: 'volume', pool: toPoolSpec(req.from.pool), volume: req.from.volume.id, format: req.from.volume.format as 'qcow2' | 'raw' }
        : undefined;
    const pool = toPoolSpec(req.pool);
    const res = await this.d.hub.command(req.nodeId, 'volume.create', {
      pool, volumeId: row.id, format: req.format, sizeBytes: req.sizeBytes, ...(from ? { from } : {}), linked: req.linked ?? false,
    }, { timeoutMs: 30 * 60_000, signal });
    undo.push(`delete volume ${row.name} on its node`, () => this.d.hub.command(req.nodeId, 'volume.delete', { pool, volumeId: row.id, format: req.format }));
    const patch: Partial<VolumeRow> = {
      state: req.attach ? 'in-use' : 'available', size_bytes: Math.max(req.sizeBytes, res.sizeBytes), allocation_bytes: res.allocationBytes,
      attached_vm_id: req.attach?.vmId ?? null, attached_disk_id: req.attach?.diskId ?? null, updated_at: this.now(),
    };
    await this.repo.updateVolume(row.id, patch);
    return { ...row, ...patch };
  }

  /** `POST /api/v1/volumes`: quota-checked, then created on a node by an operation. */
  async create(p: Principal, input: z.output<typeof VolumeCreate>): Promise<Operation> {
    const tenantId = targetTenant(p, 'storage:write', input.tenant);
    const pool = await this.pools.resolve(input.pool);
    const sizeBytes = input.sizeGiB * GiB;
    return this.d.quota.withTenant(tenantId, async () => {
      await this.d.quota.check(tenantId, { diskGiB: input.sizeGiB });
      if (await this.repo.volumeNameTaken(tenantId, input.name)) throw new ApiError('ALREADY_EXISTS', `a volume named ${input.name} exists`);
      const nodeId = await pickNode(this.d, { vcpus: 0, memoryMiB: 0 });
      // The row exists from here on (state creating), so a concurrent create sees its size in the quota.
      const id = newId();
      const now = this.now();
      const row: VolumeRow = {
        id, tenant_id: tenantId, name: input.name, pool_id: pool.id, node_id: nodeId, format: input.format, size_bytes: sizeBytes,
        allocation_bytes: null, state: 'creating', attached_vm_id: null, attached_disk_id: null, owner_vm_id: null,
        source_image_id: null, backing_volume_id: null, created_at: now, updated_at: now,
      };
      await this.repo.insertVolume(row);
      return this.d.operations.start({ kind: 'volume.create', tenantId, resources: [`/api/v1/volumes/${id}`], createdBy: p.userId }, async (ctx) => {
        try {
          const res = await this.d.hub.command(nodeId, 'volume.create', { pool: toPoolSpec(pool), volumeId: id, format: input.format, sizeBytes, linked: false }, { signal: ctx.signal });
          await this.repo.updateVolume(id, { state: 'available', allocation_bytes: res.allocationBytes, size_bytes: Math.max(sizeBytes, res.sizeBytes), updated_at: this.now() });
          return { volumeId: id };
        } catch (err) {
          await this.repo.deleteVolume(id);
          throw err;
        }
      });
    });
  }

  /** Grows a volume (block_resize when attached to a running VM). */
  async resize(p: Principal, id: string, sizeGiB: number): Promise<Operation> {
    const vol = await this.row(p, id, 'storage:write');
    const current = Math.ceil(Number(vol.size_bytes) / GiB);
    if (sizeGiB * GiB <= Number(vol.size_bytes)) throw new ApiError('BAD_REQUEST', `volumes only grow: ${vol.name} has ${current} GiB already`);
    if (vol.state === 'creating') throw new ApiError('INVALID_STATE', `volume ${vol.name} is still being created`);
    return this.d.quota.withTenant(vol.tenant_id, async () => {
      await this.d.quota.check(vol.tenant_id, { diskGiB: sizeGiB - current });
      const pool = await this.pools.resolve(vol.pool_id);
      const sizeBytes = sizeGiB * GiB;
      // Reserve the new size first so concurrent changes count it; shrink back if the node refuses.
      await this.repo.updateVolume(id, { size_bytes: sizeBytes, updated_at: this.now() });
      const restore = () => this.repo.updateVolume(id, { size_bytes: vol.size_bytes, updated_at: this.now() });
      return this.d.busy.start(this.d.operations, [`volume:${id}`], { kind: 'volume.resize', tenantId: vol.tenant_id, resources: [`/api/v1/volumes/${id}`], createdBy: p.userId }, async () => {
        try {
          const res = await this.d.hub.command(vol.node_id, 'volume.resize', {
            pool: toPoolSpec(pool), volumeId: id, format: vol.format as 'qcow2' | 'raw', sizeBytes,
            ...(vol.attached_vm_id ? { vmId: vol.attached_vm_id, diskId: vol.attached_disk_id ?? undefined } : {}),
          });
          await this.repo.updateVolume(id, { size_bytes: Math.max(sizeBytes, res.sizeBytes), updated_at: this.now() });
          return { volumeId: id, sizeGiB };
        } catch (err) {
          await restore();
          throw err;
        }
      }).catch(async (err) => {
        await restore(); // busy: the reservation goes back
        throw err;
      });
    });
  }

  /** Refuses to delete what is attached or backs other volumes. */
  async assertDeletable(vol: VolumeRow, exceptVmId?: string): Promise<void> {
    if (vol.attached_vm_id && vol.attached_vm_id !== exceptVmId) throw new ApiError('IN_USE', `volume ${vol.name} is attached to VM ${vol.attached_vm_id}: detach it first`);
    const overlays = await this.repo.overlaysOf(vol.id);
    if (overlays) throw new ApiError('IN_USE', `volume ${vol.name} backs ${overlays} linked clones: delete them first`);
  }

  /** Deletes a volume's file on its node and its row. */
  async destroy(vol: VolumeRow): Promise<void> {
    const pool = await this.pools.resolve(vol.pool_id);
    await this.d.hub.command(vol.node_id, 'volume.delete', { pool: toPoolSpec(pool), volumeId: vol.id, format: vol.format as 'qcow2' | 'raw' });
    await this.repo.deleteVolume(vol.id);
  }

  async delete(p: Principal, id: string): Promise<Operation> {
    const vol = await this.row(p, id, 'storage:write');
    await this.assertDeletable(vol);
    if (vol.state === 'creating') throw new ApiError('INVALID_STATE', `volume ${vol.name} is still being created`);
    if (!this.d.hub.isOnline(vol.node_id)) throw new ApiError('NODE_UNREACHABLE', `the node of volume ${vol.name} is offline`);
    return this.d.busy.start(this.d.operations, [`volume:${id}`], { kind: 'volume.delete', tenantId: vol.tenant_id, resources: [`/api/v1/volumes/${id}`], createdBy: p.userId }, async () => {
      await this.destroy(vol);
      return { volumeId: id };
    });
  }

  /** Marks a volume attached to a VM disk, or free again. */
  async setAttachment(volumeId: string, at: { vmId: string; diskId: string } | null, clearOwner = false): Promise<void> {
    await this.repo.updateVolume(volumeId, {
      attached_vm_id: at?.vmId ?? null, attached_disk_id: at?.diskId ?? null, state: at ? 'in-use' : 'available',
      ...(clearOwner ? { owner_vm_id: null } : {}), updated_at: this.now(),
    });
  }
}
