import { escapeOptionValue, qemuOption } from './qemu-option.ts';
import { validateQemuVmSpec } from './qemu-spec-validation.ts';
import type { QemuBootDevice, QemuDiskSpec, QemuNicSpec, QemuVmSpec } from './qemu-vm-spec.ts';

/** Chardev / device ids the driver relies on when it talks to a running VM. */
export const QEMU_IDS = {
  qmp: 'qmp0',
  serial: 'serial0',
  guestAgent: 'qga0',
  virtioSerial: 'virtio-serial0',
  balloon: 'balloon0',
  cdrom: 'cdrom0',
  cloudInitSeed: 'cidata0',
} as const;

// DIMM slots for memory hotplug: each live growth takes one (Proxmox-style fixed-size DIMMs would need far more).
const MEMORY_SLOTS = 8;

/** Block node names of a disk: `file-<id>` (protocol) under `drive-<id>` (format, used by the device). */
export function diskNodeNames(diskId: string): { file: string; drive: string } {
  return { file: `file-${diskId}`, drive: `drive-${diskId}` };
}

/**
 * Turns a VM spec into QEMU's argument list (without the binary). Pure: validates the spec
 * (throws QemuSpecError) and touches nothing. Spawn it with an argument array, never a shell.
 */
export function buildQemuArgs(spec: QemuVmSpec): string[] {
  validateQemuVmSpec(spec);
  // Live vCPU add under TCG needs single-threaded TCG on QEMU 7.2 (see SetVcpusOptions): only when hotplug is wanted.
  const cpuHotplug = spec.maxVcpus !== undefined && spec.maxVcpus > spec.vcpus;
  const bootIndex = bootIndexes(spec);
  const args: string[] = [
    '-name', qemuOption(undefined, { guest: spec.name }),
    '-uuid', spec.uuid,
    '-no-user-config', '-nodefaults',
    // `-machine pc,accel=...` cannot be combined with `-accel` (QEMU refuses), and only `-accel` takes tb-size.
    '-machine', spec.machine ?? 'pc',
    '-accel', spec.accel === 'tcg' ? qemuOption('tcg', { 'tb-size': spec.tcgTranslationCacheMiB ?? 32, thread: cpuHotplug ? 'single' : undefined }) : 'kvm',
  ];
  const cpu = spec.cpuModel ?? (spec.accel === 'kvm' ? 'host' : undefined);
  if (cpu) args.push('-cpu', cpu);
  const smp = cpuHotplug ? qemuOption(undefined, { cpus: spec.vcpus, maxcpus: spec.maxVcpus }) : String(spec.vcpus);
  const memory = spec.maxMemoryMiB !== undefined && spec.maxMemoryMiB > spec.memoryMiB
    ? qemuOption(undefined, { size: `${spec.memoryMiB}M`, slots: MEMORY_SLOTS, maxmem: `${spec.maxMemoryMiB}M` })
    : String(spec.memoryMiB);
  args.push('-smp', smp, '-m', memory, '-display', 'none');
  args.push('-chardev', socketChardev(QEMU_IDS.qmp, spec.qmpSocketPath), '-mon', qemuOption(undefined, { chardev: QEMU_IDS.qmp, mode: 'control' }));
  if (spec.pidfile) args.push('-pidfile', spec.pidfile);
  if (spec.daemonize) args.push('-daemonize');
  if (spec.startPaused) args.push('-S');

  if (spec.kernel) {
    args.push('-kernel', spec.kernel.path);
    if (spec.kernel.initrdPath) args.push('-initrd', spec.kernel.initrdPath);
    if (spec.kernel.cmdline) args.push('-append', spec.kernel.cmdline);
  }
  spec.disks?.forEach((disk, i) => args.push(...diskArgs(disk, i === 0 ? bootIndex.disk : undefined)));
  if (spec.cdrom) args.push(...cdromArgs(QEMU_IDS.cdrom, spec.cdrom.path, 0, bootIndex.cdrom));
  if (spec.cloudInitSeed) args.push(...cdromArgs(QEMU_IDS.cloudInitSeed, spec.cloudInitSeed.path, 1, undefined));
  spec.nics?.forEach((nic, i) => args.push(...nicArgs(nic, i === 0 ? bootIndex.network : undefined)));

  if (spec.serial?.socketPath || spec.serial?.logPath) {
    const { socketPath, logPath } = spec.serial;
    const chardev = socketPath
      ? socketChardev(QEMU_IDS.serial, socketPath, { logfile: logPath, logappend: logPath ? true : undefined })
      : qemuOption('file', { id: QEMU_IDS.serial, path: logPath, append: true });
    args.push('-chardev', chardev, '-serial', `chardev:${QEMU_IDS.serial}`);
  }
  if (spec.vnc) args.push('-vnc', `unix:${escapeOptionValue(spec.vnc.socketPath)}`, '-vga', 'std');
  if (spec.guestAgentSocketPath) {
    args.push(
      '-device', qemuOption('virtio-serial-pci', { id: QEMU_IDS.virtioSerial }),
      '-chardev', socketChardev(QEMU_IDS.guestAgent, spec.guestAgentSocketPath),
      '-device', qemuOption('virtserialport', { bus: `${QEMU_IDS.virtioSerial}.0`, chardev: QEMU_IDS.guestAgent, name: 'org.qemu.guest_agent.0' }),
    );
  }
  if (spec.balloon ?? true) args.push('-device', qemuOption('virtio-balloon-pci', { id: QEMU_IDS.balloon }));
  if (spec.rng ?? true) {
    args.push('-object', qemuOption('rng-random', { id: 'rng0', filename: '/dev/urandom' }), '-device', qemuOption('virtio-rng-pci', { rng: 'rng0' }));
  }
  return args;
}

function socketChardev(id: string, path: string, extra: Record<string, string | boolean | undefined> = {}): string {
  return qemuOption('socket', { id, path, server: true, wait: false, ...extra });
}

function diskArgs(disk: QemuDiskSpec, bootindex: number | undefined): string[] {
  const nodes = diskNodeNames(disk.id);
  const readOnly = disk.readonly ? true : undefined;
  return [
    '-blockdev', qemuOption(undefined, { driver: 'file', 'node-name': nodes.file, filename: disk.path, 'read-only': readOnly }),
    '-blockdev', qemuOption(undefined, { driver: disk.format, 'node-name': nodes.drive, file: nodes.file, 'read-only': readOnly }),
    '-device', qemuOption('virtio-blk-pci', { id: disk.id, drive: nodes.drive, bootindex }),
  ];
}

// Both CD-ROMs sit on the piix IDE secondary channel (ide.1) that the pc machine always has.
function cdromArgs(id: string, path: string, unit: number, bootindex: number | undefined): string[] {
  const nodes = diskNodeNames(id);
  return [
    '-blockdev', qemuOption(undefined, { driver: 'file', 'node-name': nodes.file, filename: path, 'read-only': true }),
    '-blockdev', qemuOption(undefined, { driver: 'raw', 'node-name': nodes.drive, file: nodes.file, 'read-only': true }),
    '-device', qemuOption('ide-cd', { id, drive: nodes.drive, bus: 'ide.1', unit, bootindex }),
  ];
}

function nicArgs(nic: QemuNicSpec, bootindex: number | undefined): string[] {
  const hostfwd = (nic.netdev.hostForwards ?? []).map(
    (f) => `${f.protocol}:${f.hostAddress ?? '127.0.0.1'}:${f.hostPort}-:${f.guestPort}`,
  );
  return [
    '-netdev', qemuOption('user', { id: `net-${nic.id}`, net: nic.netdev.subnet, hostfwd }),
    // Without network boot, skip the iPXE option ROM: it costs boot time and is never used.
    '-device', qemuOption('virtio-net-pci', { id: nic.id, netdev: `net-${nic.id}`, mac: nic.mac.toLowerCase(), bootindex, romfile: bootindex === undefined ? '' : undefined }),
  ];
}

function bootIndexes(spec: QemuVmSpec): Partial<Record<QemuBootDevice, number>> {
  const present: Record<QemuBootDevice, boolean> = {
    disk: (spec.disks?.length ?? 0) > 0,
    cdrom: spec.cdrom !== undefined,
    network: (spec.nics?.length ?? 0) > 0,
  };
  const order = (spec.bootOrder ?? ['disk', 'cdrom']).filter((device, i, all) => present[device] && all.indexOf(device) === i);
  return Object.fromEntries(order.map((device, i) => [device, i + 1]));
}
