import type { PoolSpec, VmDiskSpec, VmNicSpec, VmSpec } from '@novacron/api';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNoCloudSeed } from '../../../cloud-init/nocloud-seed';
import { AgentError } from '../../../lib/agent-error';
import type { ImageStore } from '../../../images/image-store';
import type { VmRunPaths } from '../../../state-dir';
import type { NetworkRegistry } from '../../network/registry';
import { qemuImgCreate } from '../../storage/qemu-img';
import type { StorageRegistry } from '../../storage/registry';
import { qemuDeviceId, vmUuid } from './qemu-device-ids';
import type { QemuDiskSpec, QemuNicSpec, QemuVmSpec } from './qemu-vm-spec.ts';

/** What resolving a VmSpec into files needs. */
export interface SpecMapperContext {
  paths: VmRunPaths;
  accel: 'kvm' | 'tcg';
  tcgTranslationCacheMiB?: number;
  images: ImageStore;
  storage: StorageRegistry;
  networks: NetworkRegistry;
  pools: readonly PoolSpec[];
}

/** A resolved VM plus the undo steps of what resolving created on the host (NIC backends). */
export interface MappedVm {
  qemu: QemuVmSpec;
  undo: Array<() => Promise<void>>;
}

/**
 * Turns a protocol VmSpec (ids, no host paths) into the QEMU driver's spec (absolute paths): images come from the
 * agent's image store, volumes from their pool, NICs from their network driver. Refuses what this QEMU driver cannot
 * run yet with UNSUPPORTED rather than silently running something else.
 */
export async function mapVmSpec(spec: VmSpec, ctx: SpecMapperContext): Promise<MappedVm> {
  if (spec.machine !== 'pc') throw new AgentError('UNSUPPORTED', `machine ${spec.machine} is not supported yet (pc only)`);
  const qemu: QemuVmSpec = {
    name: spec.name,
    uuid: vmUuid(spec.id),
    vcpus: spec.vcpus,
    memoryMiB: spec.memoryMiB,
    maxVcpus: spec.maxVcpus,
    maxMemoryMiB: spec.maxMemoryMiB,
    machine: 'pc',
    accel: ctx.accel,
    tcgTranslationCacheMiB: ctx.tcgTranslationCacheMiB,
    bootOrder: spec.boot.order,
    qmpSocketPath: ctx.paths.qmpSocket,
    serial: { socketPath: ctx.paths.serialSocket, logPath: ctx.paths.serialLog },
    vnc: { socketPath: ctx.paths.vncSocket },
    guestAgentSocketPath: ctx.paths.guestAgentSocket,
    pidfile: ctx.paths.pidfile,
    daemonize: true,
  };
  if (spec.boot.kernel) {
    const kernel = await ctx.images.require(spec.boot.kernel, ['kernel']);
    const initrd = spec.boot.initrd ? await ctx.images.require(spec.boot.initrd, ['initrd']) : undefined;
    qemu.kernel = { path: kernel.path, initrdPath: initrd?.path, cmdline: spec.boot.cmdline };
  } else if (spec.boot.initrd || spec.boot.cmdline) {
    throw new AgentError('BAD_REQUEST', 'boot.initrd and boot.cmdline need boot.kernel');
  }
  qemu.disks = [];
  for (const disk of spec.disks) {
    if (disk.media === 'cdrom') {
      if (qemu.cdrom) throw new AgentError('UNSUPPORTED', 'only one CD-ROM per VM is supported');
      qemu.cdrom = { path: await cdromPath(disk, ctx) };
    } else {
      qemu.disks.push(await diskSpec(disk, ctx));
    }
  }
  if (spec.cloudInit) qemu.cloudInitSeed = { path: await writeNoCloudSeed(ctx.paths.dir, spec.cloudInit) };
  const undo: MappedVm['undo'] = [];
  try {
    qemu.nics = [];
    for (const nic of spec.networks) qemu.nics.push(await nicSpec(spec.id, nic, ctx, undo));
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw error;
  }
  return { qemu, undo };
}

async function diskSpec(disk: VmDiskSpec, ctx: SpecMapperContext): Promise<QemuDiskSpec> {
  if (disk.bus !== 'virtio') throw new AgentError('UNSUPPORTED', `disk ${disk.id}: bus ${disk.bus} is not supported yet (virtio only)`);
  const id = qemuDeviceId('d', disk.id);
  if (disk.source.type === 'volume') {
    const pool = findPool(ctx.pools, disk.source.pool);
    const driver = ctx.storage.forPool(pool);
    if (!(await driver.exists(pool, disk.source.volume, disk.format))) {
      throw new AgentError('NOT_FOUND', `disk ${disk.id}: volume ${disk.source.volume} not found in pool ${pool.id}`);
    }
    const at = driver.attachment(pool, disk.source.volume, disk.format);
    return { id, path: at.path, format: at.format, bus: 'virtio', readonly: disk.readonly };
  }
  const image = await ctx.images.require(disk.source.image, ['disk']);
  if (image.format !== 'qcow2' && image.format !== 'raw') throw new AgentError('BAD_REQUEST', `image ${image.imageId} is not a disk image`);
  if (disk.readonly) return { id, path: image.path, format: image.format, bus: 'virtio', readonly: true };
  // A writable disk straight from an image gets a per-VM qcow2 overlay, so the shared image is never written.
  const overlay = join(ctx.paths.dir, `disk-${disk.id}.qcow2`);
  if (!(await stat(overlay).catch(() => undefined))) await qemuImgCreate(overlay, 'qcow2', undefined, { path: image.path, format: image.format });
  return { id, path: overlay, format: 'qcow2', bus: 'virtio' };
}

async function cdromPath(disk: VmDiskSpec, ctx: SpecMapperContext): Promise<string> {
  if (disk.source.type === 'image') return (await ctx.images.require(disk.source.image, ['iso', 'disk'])).path;
  const pool = findPool(ctx.pools, disk.source.pool);
  return ctx.storage.forPool(pool).attachment(pool, disk.source.volume, disk.format).path;
}

async function nicSpec(vmId: string, nic: VmNicSpec, ctx: SpecMapperContext, undo: MappedVm['undo']): Promise<QemuNicSpec> {
  if (nic.model !== 'virtio-net-pci') throw new AgentError('UNSUPPORTED', `NIC ${nic.id}: model ${nic.model} is not supported yet`);
  const driver = ctx.networks.get(nic.driver);
  const backend = await driver.attach({ vmId }, nic);
  undo.push(() => driver.detach({ vmId }, nic));
  if (backend.type !== 'user') throw new AgentError('UNSUPPORTED', `NIC ${nic.id}: ${backend.type} backends are not supported by the QEMU driver yet`);
  return { id: qemuDeviceId('n', nic.id), mac: nic.mac, netdev: { type: 'user', subnet: backend.subnet, hostForwards: backend.hostForwards } };
}

function findPool(pools: readonly PoolSpec[], poolId: string): PoolSpec {
  const pool = pools.find((p) => p.id === poolId);
  if (!pool) throw new AgentError('NOT_FOUND', `pool ${poolId} is not served by this node`);
  return pool;
}
