// Hot-plug on a running VM over its QMP connection (the driver's `QemuInstance.qmp`), on the i440fx `pc` machine where
// PCI devices plug straight into the root bus (q35 would need pre-created pcie-root-ports).
//
// What QEMU 7.2 on `pc` does live, and what needs a restart:
// - disks (virtio-blk-pci) and NICs (virtio-net-pci): attach and detach live; a detach needs the guest to release the
//   device (ACPI eject), seen as DEVICE_DELETED.
// - vCPUs: add live up to `maxcpus` and remove hot-added ones, only if QEMU was started with `-smp N,maxcpus=M` (M > N);
//   under TCG add only with `-accel tcg,thread=single` and no removal (QEMU 7.2 aborts; see SetVcpusOptions). A guest without udev onlines a new CPU itself
//   (`echo 1 > /sys/devices/system/cpu/cpuN/online`). Otherwise: restart.
// - memory: down (and back up to the boot size) with the virtio balloon; above the boot size only with pc-dimm devices,
//   which needs `-m SIZE,slots=S,maxmem=MAX` at start (that costs the guest memory at boot: the tiny guest panics out of
//   memory at 128 MiB with it, boots at 144). Otherwise: restart with the new size.
import { AgentError } from '../../../lib/agent-error';
import { diskNodeNames } from './qemu-command';
import type { QmpClient } from './qmp/qmp-client';
import { balloon, blockdevAdd, blockdevDel, deviceAdd, deviceDel, queryBalloon, queryCpusFast, queryKvm } from './qmp/qmp-commands';
import { QmpError } from './qmp/qmp-errors';

/** A disk to hot-plug; `id` is the QEMU device id (`qemuDeviceId('d', diskId)`), its nodes are `file-<id>` / `drive-<id>`. */
export interface HotplugDisk {
  id: string;
  path: string;
  format: 'qcow2' | 'raw';
  readonly?: boolean;
}

/** A NIC to hot-plug with the user-mode network; its netdev is `net-<id>` as on the command line. */
export interface HotplugNic {
  id: string;
  mac: string;
  /** Guest subnet (`net`), as on the command line. */
  subnet?: string;
  hostForwards?: Array<{ protocol: 'tcp' | 'udp'; hostAddress?: string; hostPort: number; guestPort: number }>;
}

/** Options of the detach calls. */
export interface DetachOptions {
  /** How long the guest may take to release the device (default 30 s). */
  timeoutMs?: number;
}

const DEFAULT_UNPLUG_TIMEOUT_MS = 30_000;
const QEMU_ID = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;

/** Ids of the devices created with an id (`-device id=...` or device_add), from /machine/peripheral. */
export async function peripheralIds(qmp: QmpClient): Promise<Set<string>> {
  const entries = await qmp.execute<Array<{ name: string; type: string }>>('qom-list', { path: '/machine/peripheral' });
  return new Set(entries.filter((e) => e.type.startsWith('child<')).map((e) => e.name));
}

/** Node names of the block graph. */
async function blockNodeNames(qmp: QmpClient): Promise<Set<string>> {
  const nodes = await qmp.execute<Array<{ 'node-name': string }>>('query-named-block-nodes', { flat: true });
  return new Set(nodes.map((n) => n['node-name']));
}

/**
 * Hot-plugs a virtio disk: blockdev-add of the protocol and format nodes, then device_add. Idempotent: a disk whose
 * device already exists is left alone; nodes left over by a half-done earlier attempt are replaced.
 */
export async function attachDisk(qmp: QmpClient, disk: HotplugDisk): Promise<void> {
  checkId(disk.id);
  if ((await peripheralIds(qmp)).has(disk.id)) return;
  const nodes = diskNodeNames(disk.id);
  await deleteNodes(qmp, [nodes.drive, nodes.file]);
  const readOnly = disk.readonly ?? false;
  try {
    await blockdevAdd(qmp, { driver: 'file', 'node-name': nodes.file, filename: disk.path, 'read-only': readOnly });
    await blockdevAdd(qmp, { driver: disk.format, 'node-name': nodes.drive, file: nodes.file, 'read-only': readOnly });
    await deviceAdd(qmp, { driver: 'virtio-blk-pci', id: disk.id, drive: nodes.drive });
  } catch (error) {
    await deleteNodes(qmp, [nodes.drive, nodes.file]).catch(() => undefined); // undo
    throw hypervisorError(`cannot attach disk ${disk.id}`, error);
  }
}

/** Unplugs a disk (the guest must let go: DEVICE_DELETED), then removes its block nodes. Absent is fine. */
export async function detachDisk(qmp: QmpClient, id: string, opts: DetachOptions = {}): Promise<void> {
  checkId(id);
  await unplugDevice(qmp, id, opts.timeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS);
  const nodes = diskNodeNames(id);
  await deleteNodes(qmp, [nodes.drive, nodes.file]);
}

/** Hot-plugs a virtio NIC on a user-mode netdev (`net-<id>`), with its MAC. Idempotent like attachDisk. */
export async function attachNic(qmp: QmpClient, nic: HotplugNic): Promise<void> {
  checkId(nic.id);
  if ((await peripheralIds(qmp)).has(nic.id)) return;
  const netdev = `net-${nic.id}`;
  await qmp.execute('netdev_del', { id: netdev }).catch(() => undefined); // leftover of a half-done attempt
  const hostfwd = (nic.hostForwards ?? []).map((f) => ({ str: `${f.protocol}:${f.hostAddress ?? '127.0.0.1'}:${f.hostPort}-:${f.guestPort}` }));
  await qmp.execute('netdev_add', { type: 'user', id: netdev, ...(nic.subnet ? { net: nic.subnet } : {}), ...(hostfwd.length ? { hostfwd } : {}) }).catch((error: unknown) => {
    throw hypervisorError(`cannot attach NIC ${nic.id}`, error);
  });
  try {
    // No network boot from a hot-plugged NIC: skip the iPXE option ROM, as the command builder does.
    await deviceAdd(qmp, { driver: 'virtio-net-pci', id: nic.id, netdev, mac: nic.mac.toLowerCase(), romfile: '' });
  } catch (error) {
    await qmp.execute('netdev_del', { id: netdev }).catch(() => undefined);
    throw hypervisorError(`cannot attach NIC ${nic.id}`, error);
  }
}

/** Unplugs a NIC (waits for DEVICE_DELETED), then removes its netdev. Absent is fine. */
export async function detachNic(qmp: QmpClient, id: string, opts: DetachOptions = {}): Promise<void> {
  checkId(id);
  await unplugDevice(qmp, id, opts.timeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS);
  await qmp.execute('netdev_del', { id: `net-${id}` }).catch((error: unknown) => {
    if (!(error instanceof QmpError)) throw error; // already gone is fine
  });
}

// device_del only asks; the guest ejects the device and QEMU then emits DEVICE_DELETED (for PCI devices twice: backend
// path first, then the device with `device: id`). The wait is registered before the command because the event can beat
// the reply. A vCPU emits DEVICE_DELETED only for its lapic child, so for vCPUs (`pollQom`) the device leaving
// /machine/peripheral counts too; for PCI devices it does not, their block/net backend is released only by the event.
async function unplugDevice(qmp: QmpClient, id: string, timeoutMs: number, pollQom = false): Promise<void> {
  if (!(await peripheralIds(qmp)).has(id)) return;
  const abort = new AbortController();
  const deleted = qmp.waitForEvent('DEVICE_DELETED', (e) => e.data.device === id, timeoutMs, abort.signal);
  deleted.catch(() => undefined);
  try {
    try {
      await deviceDel(qmp, id);
    } catch (error) {
      if (error instanceof QmpError && error.errorClass === 'DeviceNotFound') return; // went away meanwhile
      // A second device_del while the first is pending is refused; the first one's event still comes.
      if (!(error instanceof QmpError && /already in the process of unplug|pending/i.test(error.desc))) throw hypervisorError(`cannot detach ${id}`, error);
    }
    const waits = [deleted.then(() => true, () => false)];
    if (pollQom) waits.push(pollGone(qmp, id, timeoutMs, abort.signal));
    const gone = await Promise.race(waits);
    if (qmp.isClosed) throw new AgentError('HYPERVISOR_ERROR', `QEMU ended while unplugging ${id}`);
    if (!gone) {
      throw new AgentError('TIMEOUT', `the guest did not release device ${id} within ${timeoutMs} ms (no ACPI hot-plug support, or busy)`);
    }
  } finally {
    abort.abort();
  }
}

async function pollGone(qmp: QmpClient, id: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (signal.aborted) return false;
    if (!(await peripheralIds(qmp).catch(() => new Set([id]))).has(id)) return true;
  }
  return false;
}

async function deleteNodes(qmp: QmpClient, names: string[]): Promise<void> {
  const present = await blockNodeNames(qmp);
  for (const name of names) if (present.has(name)) await blockdevDel(qmp, name);
}

// ---------- vCPUs ----------

/** One vCPU slot of query-hotpluggable-cpus; `qom-path` is set when a CPU is plugged in it. */
interface HotpluggableCpu {
  type: string;
  'vcpus-count': number;
  props: { 'socket-id'?: number; 'core-id'?: number; 'thread-id'?: number; 'node-id'?: number };
  'qom-path'?: string;
}

/** Current and maximum vCPUs of a running VM (maximum = `maxcpus`; equal to current when nothing can be added). */
export async function vcpuLimits(qmp: QmpClient): Promise<{ current: number; max: number }> {
  const slots = await qmp.execute<HotpluggableCpu[]>('query-hotpluggable-cpus');
  return { current: (await queryCpusFast(qmp)).length, max: slots.reduce((n, s) => n + s['vcpus-count'], 0) };
}

/** Options of `setVcpus`. */
export interface SetVcpusOptions extends DetachOptions {
  /**
   * How the VM's TCG runs vCPUs (ignored under KVM): `single` with `-accel tcg,thread=single`, else `multi` (QEMU's
   * default). Measured on QEMU 7.2: under multi-threaded TCG a hot-added vCPU thread can hit the
   * `tcg_region_initial_alloc` assertion and abort QEMU (seen with tb-size=32 after a NIC hot-plug), so live add is
   * refused there; under single-threaded TCG add works but removing a vCPU aborts QEMU in `cpu_remove_sync`
   * (it joins the one shared vCPU thread), so live remove is refused under TCG. KVM has neither problem.
   */
  tcgThreads?: 'single' | 'multi';
}

/**
 * Sets the number of vCPUs live: device_add into free slots, or device_del of hot-added CPUs (the guest must eject them).
 * UNSUPPORTED when the count is beyond `maxcpus`, below what was present at boot, or what TCG cannot do safely (see
 * SetVcpusOptions): that needs a restart.
 */
export async function setVcpus(qmp: QmpClient, count: number, opts: SetVcpusOptions = {}): Promise<void> {
  const slots = await qmp.execute<HotpluggableCpu[]>('query-hotpluggable-cpus');
  const max = slots.reduce((n, s) => n + s['vcpus-count'], 0);
  if (count > max) throw new AgentError('UNSUPPORTED', `${count} vCPUs is above this VM's live maximum of ${max} (maxcpus); restart the VM to change it`);
  const tcg = !(await queryKvm(qmp)).enabled;
  const plugged = slots.filter((s) => s['qom-path']);
  const current = plugged.reduce((n, s) => n + s['vcpus-count'], 0);
  if (count > current) {
    if (tcg && opts.tcgThreads !== 'single') {
      throw new AgentError('UNSUPPORTED', 'live vCPU add under multi-threaded TCG can abort QEMU 7.2; restart the VM to change vCPUs');
    }
    // Fill free slots in topology order (lowest socket/core first), as a physical machine would.
    const free = slots.filter((s) => !s['qom-path']).sort((a, b) => topologyKey(a) - topologyKey(b));
    for (const slot of free.slice(0, count - current)) {
      await deviceAdd(qmp, { driver: slot.type, id: cpuId(slot), ...slot.props }).catch((error: unknown) => {
        throw hypervisorError(`cannot add a vCPU`, error);
      });
    }
  } else if (count < current) {
    if (tcg) throw new AgentError('UNSUPPORTED', 'live vCPU removal under TCG aborts QEMU 7.2; restart the VM to change vCPUs');
    // Only CPUs added with an id (hot-added) can go; boot CPUs live under /machine/unattached.
    const removable = plugged.filter((s) => s['qom-path']?.startsWith('/machine/peripheral/')).sort((a, b) => topologyKey(b) - topologyKey(a));
    if (current - count > removable.length) {
      throw new AgentError('UNSUPPORTED', `only hot-added vCPUs can be removed live (${removable.length} of ${current}); restart the VM to go down to ${count}`);
    }
    for (const slot of removable.slice(0, current - count)) {
      await unplugDevice(qmp, slot['qom-path']!.split('/').at(-1)!, opts.timeoutMs ?? DEFAULT_UNPLUG_TIMEOUT_MS, true);
    }
  }
}

function topologyKey(slot: HotpluggableCpu): number {
  return (slot.props['socket-id'] ?? 0) * 1_000_000 + (slot.props['core-id'] ?? 0) * 1_000 + (slot.props['thread-id'] ?? 0);
}

function cpuId(slot: HotpluggableCpu): string {
  return `cpu-${slot.props['socket-id'] ?? 0}-${slot.props['core-id'] ?? 0}-${slot.props['thread-id'] ?? 0}`;
}

// ---------- memory ----------

/** Memory figures of a running VM, in MiB. */
export interface MemoryLimits {
  /** `-m` at start. */
  bootMiB: number;
  /** Added with pc-dimm devices. */
  pluggedMiB: number;
  /** What the guest has now according to the balloon (undefined without a balloon driver in the guest). */
  balloonMiB?: number;
  /** The most a live change can reach: boot + plugged + what free DIMM slots allow (`maxmem`). */
  maxMiB: number;
  /** Free pc-dimm slots. */
  freeSlots: number;
}

const MIB = 1024 * 1024;
/** Linux onlines hot-added memory in 128 MiB blocks on x86_64, so DIMMs come in multiples of that. */
export const DIMM_ALIGN_MIB = 128;

/** Boot, plugged, balloon and maximum memory of a running VM. */
export async function memoryLimits(qmp: QmpClient): Promise<MemoryLimits> {
  const summary = await qmp.execute<{ 'base-memory': number; 'plugged-memory'?: number }>('query-memory-size-summary');
  const bootMiB = summary['base-memory'] / MIB;
  const pluggedMiB = (summary['plugged-memory'] ?? 0) / MIB;
  const balloonMiB = await queryBalloon(qmp).then((b) => b.actual / MIB, () => undefined);
  // `-m SIZE,slots=S,maxmem=MAX` is the machine's `memory` property.
  const memory = await qomGet<{ size: number; slots?: number; 'max-size'?: number }>(qmp, '/machine', 'memory').catch(() => undefined);
  const maxmem = memory?.['max-size'] ?? summary['base-memory'];
  const slots = memory?.slots ?? 0;
  const dimms = await qmp.execute<Array<{ type: string }>>('query-memory-devices').catch(() => []);
  const freeSlots = Math.max(0, slots - dimms.length);
  const maxMiB = freeSlots > 0 ? maxmem / MIB : bootMiB + pluggedMiB;
  return { bootMiB, pluggedMiB, balloonMiB, maxMiB, freeSlots };
}

/**
 * Sets the guest's memory live. Down (and back up to boot + plugged) through the balloon; above that one pc-dimm of the
 * difference rounded up to 128 MiB (then the balloon trims it to the exact size). Resolves with the balloon's figure
 * once the guest got within 1 MiB of the target or `timeoutMs` passed (a balloon is best effort: the guest decides).
 */
export async function setMemory(qmp: QmpClient, targetMiB: number, opts: { timeoutMs?: number } = {}): Promise<{ actualMiB: number | undefined }> {
  const limits = await memoryLimits(qmp);
  const ceiling = limits.bootMiB + limits.pluggedMiB;
  // Already there (a resize that changes only vCPUs): nothing to do, even for a guest without a balloon driver.
  if (targetMiB === ceiling && (limits.balloonMiB === undefined || Math.abs(limits.balloonMiB - targetMiB) < 1)) return { actualMiB: limits.balloonMiB };
  if (targetMiB > ceiling) {
    const add = Math.ceil((targetMiB - ceiling) / DIMM_ALIGN_MIB) * DIMM_ALIGN_MIB;
    if (limits.freeSlots === 0 || ceiling + add > limits.maxMiB) {
      throw new AgentError('UNSUPPORTED', `${targetMiB} MiB is above this VM's live maximum of ${limits.maxMiB} MiB (no free DIMM slot or maxmem); restart the VM to change it`);
    }
    const n = (await qmp.execute<unknown[]>('query-memory-devices')).length;
    const id = `dimm${n}-${Date.now().toString(36)}`;
    await qmp.execute('object-add', { 'qom-type': 'memory-backend-ram', id: `mem-${id}`, size: add * MIB });
    try {
      await deviceAdd(qmp, { driver: 'pc-dimm', id, memdev: `mem-${id}` });
    } catch (error) {
      await qmp.execute('object-del', { id: `mem-${id}` }).catch(() => undefined);
      throw hypervisorError('cannot add memory', error);
    }
    if (limits.balloonMiB === undefined) return { actualMiB: undefined };
    if (ceiling + add === targetMiB) {
      // The balloon may hold memory back from an earlier shrink: release it all.
      await balloon(qmp, targetMiB * MIB);
      return { actualMiB: await waitForBalloon(qmp, targetMiB, opts.timeoutMs ?? 10_000) };
    }
  }
  if (limits.balloonMiB === undefined) {
    throw new AgentError('UNSUPPORTED', 'the guest has no active balloon driver (virtio_balloon): restart the VM to change its memory');
  }
  await balloon(qmp, targetMiB * MIB);
  return { actualMiB: await waitForBalloon(qmp, targetMiB, opts.timeoutMs ?? 10_000) };
}

async function waitForBalloon(qmp: QmpClient, targetMiB: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const actualMiB = (await queryBalloon(qmp)).actual / MIB;
    if (Math.abs(actualMiB - targetMiB) < 1 || Date.now() >= deadline) return actualMiB;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function qomGet<T>(qmp: QmpClient, path: string, property: string): Promise<T> {
  return qmp.execute<T>('qom-get', { path, property });
}

function checkId(id: string): void {
  if (!QEMU_ID.test(id)) throw new AgentError('BAD_REQUEST', `invalid QEMU device id ${JSON.stringify(id)} (map protocol ids with qemuDeviceId)`);
}

function hypervisorError(what: string, error: unknown): unknown {
  if (error instanceof QmpError) return new AgentError('HYPERVISOR_ERROR', `${what}: ${error.desc}`, { cause: error });
  return error;
}
