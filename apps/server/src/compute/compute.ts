import { join } from 'node:path';
import type { Config } from '../config';
import type { EventBus } from '../events/event-bus';
import { ImageRepository } from '../images/image.repository';
import { ImageService } from '../images/image.service';
import { UploadSpool } from '../images/upload-spool';
import type { Clock } from '../lib/clock';
import { NetworkRepository } from '../networks/network.repository';
import { NetworkService } from '../networks/network.service';
import { AgentHub } from '../nodes/agent-hub';
import { DesiredStateBuilder } from '../nodes/desired-state';
import { NodeRepository } from '../nodes/node.repository';
import { NodeService } from '../nodes/node.service';
import type { OperationService } from '../operations/operation.service';
import type { Store } from '../store/db';
import { StoragePoolService } from '../storage/storage-pool.service';
import { StorageRepository } from '../storage/storage.repository';
import { VolumeService } from '../storage/volume.service';
import { ConsoleService } from '../vms/console.service';
import { DevicePlanner } from '../vms/device-planner';
import { VmCloneService } from '../vms/vm-clone.service';
import { VmHotplugService } from '../vms/vm-hotplug.service';
import { VmPowerService } from '../vms/vm-power.service';
import { VmSnapshotService } from '../vms/vm-snapshot.service';
import { VmStatusService } from '../vms/vm-status.service';
import { VmRepository } from '../vms/vm.repository';
import { VmService } from '../vms/vm.service';
import { BusyGuard } from './busy-guard';
import type { ComputeDeps } from './compute-deps';
import { ComputeUsageProvider, QuotaGuard } from './quota';

/** The compute side of the control plane: nodes and their agents, VMs, images, storage, networks, consoles. */
export interface Compute {
  hub: AgentHub;
  nodes: NodeService;
  nodeRepo: NodeRepository;
  vmRepo: VmRepository;
  vms: VmService;
  power: VmPowerService;
  status: VmStatusService;
  snapshots: VmSnapshotService;
  hotplug: VmHotplugService;
  clones: VmCloneService;
  consoles: ConsoleService;
  images: ImageService;
  pools: StoragePoolService;
  volumes: VolumeService;
  networks: NetworkService;
  /** Real tenant usage (VMs, vCPUs, memory, disk GiB) for quotas and the tenants API. */
  usage: ComputeUsageProvider;
  spool: UploadSpool;
  /** Seeds the default pool and network, forgets what a previous process left half done. Call once before serving. */
  start(): Promise<void>;
}

/** Wires the compute services. */
export function createCompute(base: { config: Config; store: Store; clock: Clock; events: EventBus; operations: OperationService }): Compute {
  const nodeRepo = new NodeRepository(base.store);
  const nodes = new NodeService(nodeRepo, base.events, base.clock);
  const hub = new AgentHub(nodes);
  const vmRepo = new VmRepository(base.store);
  const storage = new StorageRepository(base.store);
  const netRepo = new NetworkRepository(base.store);
  const imageRepo = new ImageRepository(base.store);
  const usage = new ComputeUsageProvider(vmRepo, storage);
  const d: ComputeDeps = { ...base, hub, nodes, quota: new QuotaGuard(base.store, usage), busy: new BusyGuard() };
  const pools = new StoragePoolService(storage, base.clock);
  const volumes = new VolumeService(d, storage, pools);
  const networks = new NetworkService(netRepo, base.clock);
  const spool = new UploadSpool(join(base.config.dataDir, 'uploads'));
  const images = new ImageService(d, imageRepo, vmRepo, storage, spool);
  const status = new VmStatusService(vmRepo, base.events, base.clock, (nodeId) => hub.pushDesired(nodeId));
  const planner = new DevicePlanner(vmRepo, images, volumes, pools, networks);
  const power = new VmPowerService(d, vmRepo, status, storage);
  const vms = new VmService(d, vmRepo, storage, volumes, planner, status, power, images);
  const desired = new DesiredStateBuilder(vmRepo, storage, netRepo, pools);
  hub.setHandlers({
    desiredFor: (nodeId) => desired.build(nodeId),
    onStatus: (nodeId, st) => status.apply(nodeId, st),
    onVmEvent: (nodeId, msg) => status.applyEvent(nodeId, msg),
    onPools: (nodeId, reports) => pools.report(nodeId, reports),
  });
  return {
    hub, nodes, nodeRepo, vmRepo, vms, power, status, usage, spool, images, pools, volumes, networks,
    snapshots: new VmSnapshotService(d, vmRepo, storage),
    hotplug: new VmHotplugService(d, vmRepo, storage, netRepo, volumes, planner),
    clones: new VmCloneService(d, vmRepo, storage, imageRepo, netRepo, pools, vms),
    consoles: new ConsoleService(d, vmRepo),
    async start() {
      await nodes.start();
      await pools.ensureDefault(base.config.dataDir);
      await networks.ensureDefault();
      // Imports and uploads of a previous process cannot finish (their operations were marked interrupted).
      await imageRepo.deleteImporting();
      spool.clear();
      // Creates a previous process left half done end as if they failed: nothing of them stays in the store.
      for (const vm of await vmRepo.inPhase('creating')) {
        for (const vol of await storage.ownedBy(vm.id)) await storage.deleteVolume(vol.id);
        await vmRepo.delete(vm.id);
      }
      await storage.deleteCreating();
    },
  };
}
