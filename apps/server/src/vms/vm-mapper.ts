import type { Vm, VmSnapshot, VmSpec } from '@novacron/api';
import { GiB } from '../compute/quota';
import type { NetworkRow, VmDiskRow, VmNicRow, VmRow, VmSnapshotRow, VmStatusRow, VolumeRow } from '../store/compute-schema';

/** Boot settings as stored (JSON in `vms.boot`). */
export interface StoredBoot {
  kernelImage: string | null;
  initrdImage: string | null;
  cmdline: string | null;
  order: ('disk' | 'cdrom' | 'network')[];
}

/** cloud-init data as stored (JSON in `vms.cloud_init`). */
export interface StoredCloudInit {
  userData: string;
  networkConfig?: string;
}

/** The state the API shows: `creating` until the create operation ends, then what the node reports. */
export function apiState(vm: VmRow, status: VmStatusRow | undefined): Vm['state'] {
  if (vm.phase === 'creating') return 'creating';
  return (status?.state ?? 'stopped') as Vm['state'];
}

/** Rows → wire shape. */
export function toVm(vm: VmRow, status: VmStatusRow | undefined, disks: VmDiskRow[], nics: VmNicRow[], volumes: Map<string, VolumeRow>): Vm {
  const boot = JSON.parse(vm.boot) as StoredBoot;
  return {
    id: vm.id,
    name: vm.name,
    description: vm.description,
    tenantId: vm.tenant_id,
    nodeId: vm.node_id,
    state: apiState(vm, status),
    powerState: vm.power_state as Vm['powerState'],
    vcpus: Number(vm.vcpus),
    memoryMiB: Number(vm.memory_mib),
    maxVcpus: vm.max_vcpus === null ? null : Number(vm.max_vcpus),
    maxMemoryMiB: vm.max_memory_mib === null ? null : Number(vm.max_memory_mib),
    restartPolicy: vm.restart_policy as Vm['restartPolicy'],
    boot: { kernelImage: boot.kernelImage, initrdImage: boot.initrdImage, cmdline: boot.cmdline, order: boot.order },
    disks: disks.map((d) => {
      const vol = d.volume_id ? volumes.get(d.volume_id) : undefined;
      return {
        id: d.id, volumeId: d.volume_id, imageId: d.image_id, media: d.media as 'disk' | 'cdrom', bus: d.bus as 'virtio' | 'ide' | 'scsi',
        format: d.format as 'qcow2' | 'raw', readonly: Boolean(Number(d.readonly)), sizeGiB: vol ? Math.ceil(Number(vol.size_bytes) / GiB) : null,
      };
    }),
    networks: nics.map((n) => ({ id: n.id, network: n.network_id, mac: n.mac, model: n.model as 'virtio-net-pci' | 'e1000', portForwards: JSON.parse(n.port_forwards) })),
    labels: JSON.parse(vm.labels),
    isTemplate: Boolean(Number(vm.is_template)),
    cloudInit: vm.cloud_init !== null,
    pendingRestart: Boolean(Number(vm.pending_restart)),
    accel: (status?.accel ?? null) as Vm['accel'],
    pid: status?.pid === null || status?.pid === undefined ? null : Number(status.pid),
    stateSince: status?.since ?? vm.created_at,
    error: status?.error_code ? { code: status.error_code, message: status.error_message ?? '' } : null,
    guest: status?.guest ? JSON.parse(status.guest) : null,
    createdAt: vm.created_at,
    updatedAt: vm.updated_at,
  };
}

/** Rows → the spec a node agent runs (ids only, no host paths: the agent resolves them). */
export function toVmSpec(vm: VmRow, disks: VmDiskRow[], nics: VmNicRow[], networks: Map<string, NetworkRow>, volumes: Map<string, VolumeRow>): VmSpec {
  const boot = JSON.parse(vm.boot) as StoredBoot;
  const cloud = vm.cloud_init ? (JSON.parse(vm.cloud_init) as StoredCloudInit) : null;
  return {
    id: vm.id,
    name: vm.name,
    revision: Number(vm.revision),
    vcpus: Number(vm.vcpus),
    memoryMiB: Number(vm.memory_mib),
    ...(vm.max_vcpus !== null ? { maxVcpus: Number(vm.max_vcpus) } : {}),
    ...(vm.max_memory_mib !== null ? { maxMemoryMiB: Number(vm.max_memory_mib) } : {}),
    machine: 'pc',
    boot: {
      ...(boot.kernelImage ? { kernel: boot.kernelImage } : {}),
      ...(boot.initrdImage ? { initrd: boot.initrdImage } : {}),
      ...(boot.cmdline ? { cmdline: boot.cmdline } : {}),
      order: boot.order,
    },
    disks: disks.map((d) => ({
      id: d.id,
      source: d.volume_id ? { type: 'volume' as const, pool: volumes.get(d.volume_id)?.pool_id ?? '', volume: d.volume_id } : { type: 'image' as const, image: d.image_id ?? '' },
      format: d.format as 'qcow2' | 'raw',
      media: d.media as 'disk' | 'cdrom',
      bus: d.bus as 'virtio' | 'ide' | 'scsi',
      readonly: Boolean(Number(d.readonly)),
    })),
    networks: nics.map((n) => {
      const net = networks.get(n.network_id);
      return {
        id: n.id, mac: n.mac, model: n.model as 'virtio-net-pci' | 'e1000', network: n.network_id, driver: 'user' as const,
        options: { cidr: net?.cidr ?? '10.0.2.0/24', ...(net ? JSON.parse(net.options) : {}) }, portForwards: JSON.parse(n.port_forwards),
      };
    }),
    ...(cloud ? { cloudInit: { userData: cloud.userData, metaData: { instanceId: vm.id, localHostname: vm.name }, ...(cloud.networkConfig ? { networkConfig: cloud.networkConfig } : {}) } } : {}),
    restartPolicy: vm.restart_policy as VmSpec['restartPolicy'],
    powerState: vm.power_state as VmSpec['powerState'],
    shutdownTimeoutSeconds: Number(vm.shutdown_timeout),
  };
}

/** Row → wire shape. */
export function toSnapshot(r: VmSnapshotRow): VmSnapshot {
  return { id: r.id, vmId: r.vm_id, name: r.name, description: r.description, includesRam: Boolean(Number(r.includes_ram)), vmState: r.vm_state, createdAt: r.created_at };
}
