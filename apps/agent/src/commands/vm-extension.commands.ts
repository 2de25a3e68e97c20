// Command handlers for what the QEMU driver's extension modules do: snapshots, hot-plug, live resize and console streams.
// The agent core registers them with one call (see `registerVmExtensionCommands`); each one that changes a VM runs
// under the reconciler's per-VM lock, so it never races a reconcile pass of the same VM.
import type { PoolSpec, VmDiskSpec } from '@novacron/api';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsoleSessions } from '../console/console-sessions';
import type { HypervisorDriver } from '../drivers/hypervisor/driver';
import { attachDisk, attachNic, detachDisk, detachNic, setMemory, setVcpus } from '../drivers/hypervisor/qemu/hotplug';
import { qemuDeviceId } from '../drivers/hypervisor/qemu/qemu-device-ids';
import type { QemuDriver } from '../drivers/hypervisor/qemu/qemu.driver';
import { createSnapshot, deleteSnapshot, revertSnapshot, type OfflineDisk, type SnapshotTarget } from '../drivers/hypervisor/qemu/snapshots';
import { NetworkRegistry } from '../drivers/network/registry';
import { qemuImgCreate } from '../drivers/storage/qemu-img';
import type { StorageRegistry } from '../drivers/storage/registry';
import type { ImageStore } from '../images/image-store';
import { AgentError } from '../lib/agent-error';
import { processArgv } from '../lib/process-util';
import type { CommandHandlers, CommandDispatcher } from '../link/command-dispatcher';
import type { ConsoleStreams } from '../link/console-streams';
import type { Reconciler } from '../reconciler/reconciler';
import type { CommandDeps } from './command-deps';

/** What the extension handlers need (a subset of CommandDeps, plus optional network drivers). */
export interface VmExtensionDeps {
  driver: HypervisorDriver;
  reconciler: Pick<Reconciler, 'locks' | 'desiredSpec' | 'currentPools' | 'poke'>;
  images: ImageStore;
  storage: StorageRegistry;
  consoles: ConsoleStreams;
  send: CommandDeps['send'];
  networks?: NetworkRegistry;
  /** The agent link's queued bytes, so VNC streams pause while the link is backed up. */
  bufferedBytes?(): number;
  /** Open each VM's serial hub when it starts or is adopted, so its ring log records from boot (default true). */
  serialHubOnStart?: boolean;
  logger?: { warn(obj: object, msg: string): void };
}

/** Handlers of vm.snapshot.*, vm.disk.*, vm.nic.*, vm.resize and console.*; also returns the console sessions. */
export function vmExtensionCommandHandlers(d: VmExtensionDeps): { handlers: CommandHandlers; consoles: ConsoleSessions } {
  const qemu = d.driver as QemuDriver;
  if (typeof qemu.instance !== 'function' || typeof qemu.paths !== 'function') {
    throw new Error('the VM extension commands need the QEMU hypervisor driver');
  }
  const networks = d.networks ?? new NetworkRegistry();
  const consoles = new ConsoleSessions({
    send: (msg) => void d.send(msg),
    bufferedBytes: d.bufferedBytes,
    paths: (vmId) => qemu.paths(vmId),
    onStreamClosed: (streamId) => d.consoles.remove(streamId),
  });
  // A VM whose QEMU ended takes its console streams with it; a started one gets its serial hub (and ring log) at once.
  d.driver.onEvent((event) => {
    if (event.type === 'exited') void consoles.closeVm(event.vmId);
    else if ((event.type === 'started' || event.type === 'adopted') && (d.serialHubOnStart ?? true)) {
      consoles.startSerial(event.vmId).catch((error: Error) => d.logger?.warn({ vmId: event.vmId, err: error.message }, 'cannot open the serial console hub'));
    }
  });

  const qmpOf = (vmId: string) => {
    const instance = qemu.instance(vmId);
    if (!instance) throw new AgentError('INVALID_STATE', `VM ${vmId} is not running`);
    return instance.qmp;
  };
  const locked = <T>(vmId: string, fn: () => Promise<T>) => d.reconciler.locks.run(vmId, fn);

  // Running: through QMP. Stopped: the disk files of the desired spec (image disks are the per-VM overlays).
  const snapshotTarget = async (vmId: string): Promise<SnapshotTarget> => {
    const instance = qemu.instance(vmId);
    if (instance) return { kind: 'running', qmp: instance.qmp };
    const spec = d.reconciler.desiredSpec(vmId);
    if (!spec) throw new AgentError('NOT_FOUND', `VM ${vmId} is not on this node`);
    const disks: OfflineDisk[] = [];
    for (const disk of spec.disks) {
      if (disk.media === 'cdrom') continue;
      disks.push(await resolveDisk(d, qemu.paths(vmId).dir, disk, d.reconciler.currentPools()));
    }
    return { kind: 'stopped', disks };
  };

  const handlers: CommandHandlers = {
    'vm.snapshot.create': ({ vmId, snapshotId, includeRam }) =>
      locked(vmId, async () => {
        const target = await snapshotTarget(vmId);
        const done = await createSnapshot(target, snapshotId, { includeRam: includeRam && target.kind === 'running' });
        return { includesRam: done.includesRam, ...(done.sizeBytes !== undefined ? { sizeBytes: done.sizeBytes } : {}) };
      }),
    'vm.snapshot.revert': ({ vmId, snapshotId }) =>
      locked(vmId, async () => {
        await revertSnapshot(await snapshotTarget(vmId), snapshotId);
        const observed = await d.driver.observe(vmId);
        d.reconciler.poke(vmId);
        const state = observed.state === 'absent' ? 'stopped' : observed.state === 'running' || observed.state === 'paused' ? observed.state : undefined;
        return state ? { state } : {};
      }),
    'vm.snapshot.delete': ({ vmId, snapshotId }) => locked(vmId, async () => (await deleteSnapshot(await snapshotTarget(vmId), snapshotId), {})),
    'vm.disk.attach': ({ vmId, disk }) =>
      locked(vmId, async () => {
        if (disk.media === 'cdrom') throw new AgentError('UNSUPPORTED', 'CD-ROMs cannot be hot-plugged; attach the ISO while the VM is stopped');
        if (disk.bus !== 'virtio') throw new AgentError('UNSUPPORTED', `only virtio disks can be hot-plugged (asked ${disk.bus})`);
        const qmp = qmpOf(vmId);
        const file = await resolveDisk(d, qemu.paths(vmId).dir, disk, d.reconciler.currentPools());
        await attachDisk(qmp, { id: qemuDeviceId('d', disk.id), path: file.path, format: file.format, readonly: file.readonly });
        return {};
      }),
    'vm.disk.detach': ({ vmId, diskId }) => locked(vmId, async () => (await detachDisk(qmpOf(vmId), qemuDeviceId('d', diskId)), {})),
    'vm.nic.attach': ({ vmId, nic }) =>
      locked(vmId, async () => {
        if (nic.model !== 'virtio-net-pci') throw new AgentError('UNSUPPORTED', `only virtio-net-pci NICs can be hot-plugged (asked ${nic.model})`);
        const qmp = qmpOf(vmId);
        const driver = networks.get(nic.driver);
        const backend = await driver.attach({ vmId }, nic);
        if (backend.type !== 'user') throw new AgentError('UNSUPPORTED', `hot-plug of ${backend.type} NICs is not supported yet`);
        try {
          await attachNic(qmp, { id: qemuDeviceId('n', nic.id), mac: nic.mac, subnet: backend.subnet, hostForwards: backend.hostForwards });
        } catch (error) {
          await driver.detach({ vmId }, nic).catch(() => undefined);
          throw error;
        }
        return {};
      }),
    'vm.nic.detach': ({ vmId, nicId }) =>
      locked(vmId, async () => {
        await detachNic(qmpOf(vmId), qemuDeviceId('n', nicId));
        const nic = d.reconciler.desiredSpec(vmId)?.networks.find((n) => n.id === nicId);
        if (nic) await networks.get(nic.driver).detach({ vmId }, nic);
        return {};
      }),
    'vm.resize': ({ vmId, vcpus, memoryMiB }) =>
      locked(vmId, async () => {
        const qmp = qmpOf(vmId);
        await setVcpus(qmp, vcpus, { tcgThreads: await tcgThreadsOf(qemu.instance(vmId)!.pid) });
        await setMemory(qmp, memoryMiB);
        return {};
      }),
    'console.open': async ({ streamId, vmId, type }) => {
      await consoles.open(streamId, vmId, type);
      d.consoles.add(streamId, (bytes) => {
        try {
          consoles.write(streamId, bytes);
        } catch {
          // the stream ended meanwhile: drop the keystrokes
        }
      });
      return {};
    },
    'console.close': async ({ streamId }) => {
      consoles.close(streamId);
      d.consoles.remove(streamId);
      return {};
    },
  };
  return { handlers, consoles };
}

/** Registers the extension handlers on a running agent's dispatcher; returns the console sessions (close them on stop). */
export function registerVmExtensionCommands(dispatcher: CommandDispatcher, deps: VmExtensionDeps): ConsoleSessions {
  const { handlers, consoles } = vmExtensionCommandHandlers(deps);
  for (const [kind, handler] of Object.entries(handlers)) dispatcher.register(kind as never, handler as never);
  return consoles;
}

/**
 * The file behind a VM disk, as the QEMU spec mapper resolves it: a volume is `<pool>/<volume>.<format>`; an image is
 * used read-only as is, or through the VM's own qcow2 overlay `<runDir>/disk-<id>.qcow2` (created here if missing,
 * the same file the next start uses).
 */
async function resolveDisk(d: VmExtensionDeps, runDir: string, disk: VmDiskSpec, pools: readonly PoolSpec[]): Promise<OfflineDisk> {
  if (disk.source.type === 'volume') {
    const poolId = disk.source.pool;
    const pool = pools.find((p) => p.id === poolId);
    if (!pool) throw new AgentError('NOT_FOUND', `pool ${poolId} is not served by this node`);
    const driver = d.storage.forPool(pool);
    if (!(await driver.exists(pool, disk.source.volume, disk.format))) {
      throw new AgentError('NOT_FOUND', `disk ${disk.id}: volume ${disk.source.volume} not found in pool ${pool.id}`);
    }
    const at = driver.attachment(pool, disk.source.volume, disk.format);
    return { path: at.path, format: at.format, readonly: disk.readonly };
  }
  const image = await d.images.require(disk.source.image, ['disk']);
  if (image.format !== 'qcow2' && image.format !== 'raw') throw new AgentError('BAD_REQUEST', `image ${image.imageId} is not a disk image`);
  if (disk.readonly) return { path: image.path, format: image.format, readonly: true };
  const overlay = join(runDir, `disk-${disk.id}.qcow2`);
  if (!(await stat(overlay).catch(() => undefined))) await qemuImgCreate(overlay, 'qcow2', undefined, { path: image.path, format: image.format });
  return { path: overlay, format: 'qcow2' };
}

// How the VM's TCG runs vCPUs, from its command line (the argv builder asks for `thread=single` when vCPU hotplug is wanted).
async function tcgThreadsOf(pid: number): Promise<'single' | 'multi'> {
  const argv = (await processArgv(pid)) ?? [];
  const accel = argv[argv.indexOf('-accel') + 1] ?? '';
  return argv.includes('-accel') && accel.split(',').includes('thread=single') ? 'single' : 'multi';
}
