import type { PoolSpec, VmSpec } from '@novacron/api';
import type { NetworkRepository } from '../networks/network.repository';
import type { StoragePoolService } from '../storage/storage-pool.service';
import type { StorageRepository } from '../storage/storage.repository';
import { toVmSpec } from '../vms/vm-mapper';
import type { VmRepository } from '../vms/vm.repository';

/** Builds a node's full desired state from the store: every VM placed there that is past creation and not being deleted. */
export class DesiredStateBuilder {
  constructor(
    private readonly vms: VmRepository,
    private readonly storage: StorageRepository,
    private readonly networks: NetworkRepository,
    private readonly pools: StoragePoolService,
  ) {}

  async build(nodeId: string): Promise<{ vms: VmSpec[]; pools: PoolSpec[] }> {
    const rows = (await this.vms.onNode(nodeId)).filter((v) => v.phase === 'ready');
    const ids = rows.map((r) => r.id);
    const [disks, nics, pools] = await Promise.all([this.vms.disks(ids), this.vms.nics(ids), this.pools.specs()]);
    const volumes = new Map((await this.storage.volumesByIds(disks.flatMap((d) => (d.volume_id ? [d.volume_id] : [])))).map((v) => [v.id, v]));
    const networks = new Map((await this.networks.byIds([...new Set(nics.map((n) => n.network_id))])).map((n) => [n.id, n]));
    const vms = rows.map((vm) => toVmSpec(vm, disks.filter((d) => d.vm_id === vm.id), nics.filter((n) => n.vm_id === vm.id), networks, volumes));
    return { vms, pools };
  }
}
