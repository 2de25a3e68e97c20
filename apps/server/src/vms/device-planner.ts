import { ApiError, type VmDiskInput, type VmNicInput } from '@novacron/api';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import { GiB } from '../compute/quota';
import type { Undo } from '../compute/undo';
import type { ImageService } from '../images/image.service';
import { newId } from '../lib/ids';
import { allocateMac } from '../networks/mac';
import type { NetworkService } from '../networks/network.service';
import type { ImageRow, NetworkRow, StoragePoolRow, VmDiskRow, VmNicRow, VmRow, VolumeRow } from '../store/compute-schema';
import type { StoragePoolService } from '../storage/storage-pool.service';
import type { VolumeService } from '../storage/volume.service';
import type { VmRepository } from './vm.repository';

/** A disk to give a VM, checked but not made yet. */
export interface DiskPlan {
  id: string;
  /** `clone`: a copy (or linked overlay) of `volume`. */
  kind: 'new' | 'image' | 'volume' | 'iso' | 'clone';
  media: 'disk' | 'cdrom';
  bus: 'virtio' | 'ide' | 'scsi';
  readonly: boolean;
  format: 'qcow2' | 'raw';
  image?: ImageRow;
  volume?: VolumeRow;
  pool?: StoragePoolRow;
  sizeBytes?: number;
  linked?: boolean;
}

/** A NIC to give a VM, checked but not made yet. */
export interface NicPlan {
  id: string;
  network: NetworkRow;
  mac?: string;
  model: 'virtio-net-pci' | 'e1000';
  portForwards: unknown[];
}

/** What planning found: the plans, the new disk GiB they add to the quota, and the nodes their images/volumes live on. */
export interface DevicePlans {
  disks: DiskPlan[];
  newDiskGiB: number;
  nodes: Set<string>;
}

/** Checks requested disks and NICs against what the caller may use, then makes them (volumes on the node) with undo steps. */
export class DevicePlanner {
  constructor(
    private readonly vms: VmRepository,
    private readonly images: ImageService,
    private readonly volumes: VolumeService,
    private readonly pools: StoragePoolService,
    private readonly networks: NetworkService,
  ) {}

  async planDisks(p: Principal, tenantId: string, inputs: z.output<typeof VmDiskInput>[]): Promise<DevicePlans> {
    const out: DevicePlans = { disks: [], newDiskGiB: 0, nodes: new Set() };
    for (const [i, input] of inputs.entries()) {
      const what = `disks.${i}`;
      if ('image' in input) {
        const image = await this.images.usable(p, input.image, ['disk', 'iso'], what);
        if (image.node_id) out.nodes.add(image.node_id);
        if (image.kind === 'iso') {
          out.disks.push({ id: newId(), kind: 'iso', media: 'cdrom', bus: input.bus ?? 'ide', readonly: true, format: 'raw', image });
          continue;
        }
        const sizeBytes = Math.max((input.sizeGiB ?? 0) * GiB, Number(image.virtual_size_bytes ?? 0));
        out.newDiskGiB += Math.ceil(sizeBytes / GiB);
        out.disks.push({ id: newId(), kind: 'image', media: 'disk', bus: input.bus ?? 'virtio', readonly: false, format: 'qcow2', image, pool: await this.pools.resolve(input.pool), sizeBytes, linked: input.linked });
      } else if ('volume' in input) {
        const volume = await this.volumes.row(p, input.volume, 'storage:write');
        if (volume.tenant_id !== tenantId) throw new ApiError('BAD_REQUEST', `${what}: volume ${volume.name} belongs to another tenant`);
        if (volume.state !== 'available') throw new ApiError(volume.state === 'in-use' ? 'IN_USE' : 'INVALID_STATE', `${what}: volume ${volume.name} is ${volume.state}`);
        if (volume.node_id) out.nodes.add(volume.node_id);
        out.disks.push({ id: newId(), kind: 'volume', media: 'disk', bus: input.bus, readonly: input.readonly, format: volume.format as 'qcow2' | 'raw', volume });
      } else {
        out.newDiskGiB += input.sizeGiB;
        out.disks.push({ id: newId(), kind: 'new', media: 'disk', bus: input.bus, readonly: false, format: input.format, pool: await this.pools.resolve(input.pool), sizeBytes: input.sizeGiB * GiB });
      }
    }
    return out;
  }

  async planNics(tenantId: string, inputs: z.output<typeof VmNicInput>[]): Promise<NicPlan[]> {
    const seen = new Set<string>();
    const out: NicPlan[] = [];
    for (const input of inputs) {
      const network = await this.networks.forTenant(input.network, tenantId);
      const mac = input.mac?.toLowerCase();
      if (mac) {
        if (seen.has(mac) || (await this.vms.macTaken(mac))) throw new ApiError('ALREADY_EXISTS', `MAC address ${mac} is in use`);
        seen.add(mac);
      }
      out.push({ id: newId(), network, mac, model: input.model, portForwards: input.portForwards });
    }
    return out;
  }

  /** Makes one planned disk for a VM (a volume on the node when needed) and records it. */
  async realizeDisk(vm: VmRow, nodeId: string, plan: DiskPlan, position: number, undo: Undo, signal?: AbortSignal): Promise<VmDiskRow> {
    let volumeId: string | null = null;
    const attach = { vmId: vm.id, diskId: plan.id };
    if (plan.kind === 'new' || plan.kind === 'image' || plan.kind === 'clone') {
      const from = plan.kind === 'image' ? { type: 'image' as const, image: plan.image!.id }
        : plan.kind === 'clone' ? { type: 'volume' as const, volume: plan.volume!, pool: plan.pool! } : undefined;
      const vol = await this.volumes.provision({
        tenantId: vm.tenant_id, name: `${vm.name}-${plan.id.slice(-6)}`, pool: plan.pool!, nodeId, format: plan.format, sizeBytes: plan.sizeBytes!,
        from, linked: plan.linked, ownerVmId: vm.id, attach,
      }, undo, signal);
      volumeId = vol.id;
    } else if (plan.kind === 'volume') {
      await this.volumes.setAttachment(plan.volume!.id, attach);
      undo.push(`detach volume ${plan.volume!.name}`, () => this.volumes.setAttachment(plan.volume!.id, null));
      volumeId = plan.volume!.id;
    }
    const row: VmDiskRow = {
      id: plan.id, vm_id: vm.id, position, volume_id: volumeId, image_id: plan.kind === 'iso' ? plan.image!.id : null,
      media: plan.media, bus: plan.bus, format: plan.format, readonly: plan.readonly ? 1 : 0,
    };
    await this.vms.insertDisk(row);
    undo.push(`forget disk ${plan.id}`, () => this.vms.deleteDisk(plan.id));
    return row;
  }

  /** Records one planned NIC with a free MAC. */
  async realizeNic(vm: VmRow, plan: NicPlan, position: number, undo: Undo, reserved: Set<string>): Promise<VmNicRow> {
    const mac = plan.mac ?? (await allocateMac((m) => this.vms.macTaken(m), reserved));
    const row: VmNicRow = { id: plan.id, vm_id: vm.id, position, network_id: plan.network.id, mac, model: plan.model, port_forwards: JSON.stringify(plan.portForwards) };
    await this.vms.insertNic(row);
    undo.push(`forget NIC ${plan.id}`, () => this.vms.deleteNic(plan.id));
    return row;
  }
}
