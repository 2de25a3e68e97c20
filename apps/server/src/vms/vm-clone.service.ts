import { ApiError, type Operation, type VmClone } from '@novacron/api';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import { GiB } from '../compute/quota';
import type { ImageRepository } from '../images/image.repository';
import { newId } from '../lib/ids';
import type { StoragePoolService } from '../storage/storage-pool.service';
import type { StorageRepository } from '../storage/storage.repository';
import type { DiskPlan, NicPlan } from './device-planner';
import type { NetworkRepository } from '../networks/network.repository';
import { assertReady, vmFor } from './vm-access';
import type { StoredBoot } from './vm-mapper';
import type { VmService } from './vm.service';
import type { VmRepository } from './vm.repository';

/** Clones a stopped VM or a template: each volume copied (or a linked qcow2 overlay), ISOs shared, NICs with new MACs. */
export class VmCloneService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: VmRepository,
    private readonly storage: StorageRepository,
    private readonly images: ImageRepository,
    private readonly networks: NetworkRepository,
    private readonly pools: StoragePoolService,
    private readonly vms: VmService,
  ) {}

  async clone(p: Principal, id: string, input: z.output<typeof VmClone>): Promise<Operation> {
    const src = await vmFor(this.repo, p, id, 'vm:write');
    assertReady(src);
    const state = (await this.repo.status(src.id))?.state ?? 'stopped';
    if (!['stopped', 'crashed'].includes(state)) throw new ApiError('INVALID_STATE', `VM ${src.name} is ${state}: stop it before cloning`);
    if (!this.d.hub.isOnline(src.node_id)) throw new ApiError('NODE_UNREACHABLE', `the node of VM ${src.name} is offline`);
    const [disks, nics] = await Promise.all([this.repo.disks([src.id]), this.repo.nics([src.id])]);
    const volumes = new Map((await this.storage.volumesByIds(disks.flatMap((x) => (x.volume_id ? [x.volume_id] : [])))).map((v) => [v.id, v]));
    const plans: DiskPlan[] = [];
    let newDiskGiB = 0;
    for (const disk of disks) {
      const base = { id: newId(), media: disk.media as 'disk' | 'cdrom', bus: disk.bus as DiskPlan['bus'], readonly: Boolean(Number(disk.readonly)) };
      if (disk.image_id) {
        const image = await this.images.get(disk.image_id, 'all');
        if (!image) throw new ApiError('INVALID_STATE', `image ${disk.image_id} of VM ${src.name} is gone`);
        plans.push({ ...base, kind: 'iso', format: 'raw', image });
        continue;
      }
      const volume = volumes.get(disk.volume_id ?? '');
      if (!volume) throw new ApiError('INVALID_STATE', `volume ${disk.volume_id} of VM ${src.name} is gone`);
      const sizeBytes = Number(volume.size_bytes);
      newDiskGiB += Math.ceil(sizeBytes / GiB);
      plans.push({
        ...base, kind: 'clone', volume, pool: await this.pools.resolve(volume.pool_id), sizeBytes, linked: input.linked,
        format: input.linked ? 'qcow2' : (volume.format as 'qcow2' | 'raw'),
      });
    }
    const networks = new Map((await this.networks.byIds(nics.map((n) => n.network_id))).map((n) => [n.id, n]));
    // Host port forwards are not copied: two VMs cannot listen on the same host port.
    const nicPlans: NicPlan[] = nics.map((n) => ({ id: newId(), network: networks.get(n.network_id)!, model: n.model as NicPlan['model'], portForwards: [] }));
    return this.vms.build(p, {
      tenantId: src.tenant_id, name: input.name, description: src.description, vcpus: Number(src.vcpus), memoryMiB: Number(src.memory_mib),
      maxVcpus: src.max_vcpus === null ? null : Number(src.max_vcpus), maxMemoryMiB: src.max_memory_mib === null ? null : Number(src.max_memory_mib),
      boot: JSON.parse(src.boot) as StoredBoot, cloudInit: src.cloud_init, restartPolicy: src.restart_policy, labels: JSON.parse(src.labels),
      disks: plans, nics: nicPlans, newDiskGiB, requiredNodeId: src.node_id, start: input.start, kind: 'vm.clone',
    });
  }
}
