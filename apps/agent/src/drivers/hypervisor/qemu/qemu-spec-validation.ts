import type { QemuVmSpec } from './qemu-vm-spec.ts';

/** A VM spec the QEMU driver cannot turn into a command line; `field` names the offending field. */
export class QemuSpecError extends Error {
  /** Stable error code. */
  readonly code = 'QEMU_SPEC_INVALID';

  constructor(
    /** Path of the invalid field, e.g. `disks[1].id`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'QemuSpecError';
  }
}

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
// sun_path is 108 bytes including the terminating NUL; QEMU's own error for longer paths is obscure.
const MAX_SOCKET_PATH_BYTES = 107;

/** Throws QemuSpecError for the first problem found in `spec`. */
export function validateQemuVmSpec(spec: QemuVmSpec): void {
  check('name', spec.name.length > 0 && !/[\0-\x1f]/.test(spec.name), 'must be non-empty without control characters');
  check('uuid', UUID.test(spec.uuid), 'must be a UUID');
  check('vcpus', Number.isInteger(spec.vcpus) && spec.vcpus >= 1 && spec.vcpus <= 255, 'must be an integer 1..255');
  check('memoryMiB', Number.isInteger(spec.memoryMiB) && spec.memoryMiB >= 16, 'must be an integer >= 16');
  if (spec.maxVcpus !== undefined) check('maxVcpus', Number.isInteger(spec.maxVcpus) && spec.maxVcpus >= spec.vcpus && spec.maxVcpus <= 255, 'must be an integer from vcpus to 255');
  if (spec.maxMemoryMiB !== undefined) check('maxMemoryMiB', Number.isInteger(spec.maxMemoryMiB) && spec.maxMemoryMiB >= spec.memoryMiB, 'must be an integer >= memoryMiB');
  check('machine', spec.machine === undefined || spec.machine === 'pc', 'only pc is supported');
  check('accel', spec.accel === 'kvm' || spec.accel === 'tcg', 'must be kvm or tcg');
  const tb = spec.tcgTranslationCacheMiB;
  check('tcgTranslationCacheMiB', tb === undefined || (Number.isInteger(tb) && tb >= 1), 'must be a positive integer');

  const ids = new Set<string>();
  const uniqueId = (field: string, id: string): void => {
    check(field, ID.test(id), 'must start with a letter and hold at most 24 letters, digits, - or _');
    check(field, !ids.has(id), `duplicate device id ${id}`);
    ids.add(id);
  };
  spec.disks?.forEach((disk, i) => {
    uniqueId(`disks[${i}].id`, disk.id);
    check(`disks[${i}].path`, disk.path.startsWith('/'), 'must be absolute');
    check(`disks[${i}].format`, disk.format === 'qcow2' || disk.format === 'raw', 'must be qcow2 or raw');
    check(`disks[${i}].bus`, disk.bus === 'virtio', 'only virtio is supported');
  });
  spec.nics?.forEach((nic, i) => {
    uniqueId(`nics[${i}].id`, nic.id);
    check(`nics[${i}].mac`, MAC.test(nic.mac) && (Number.parseInt(nic.mac.slice(0, 2), 16) & 1) === 0, 'must be a unicast MAC aa:bb:cc:dd:ee:ff');
    check(`nics[${i}].netdev.type`, nic.netdev.type === 'user', 'only user networking is supported here');
    nic.netdev.hostForwards?.forEach((fwd, j) => {
      const f = `nics[${i}].netdev.hostForwards[${j}]`;
      check(`${f}.protocol`, fwd.protocol === 'tcp' || fwd.protocol === 'udp', 'must be tcp or udp');
      check(`${f}.hostPort`, isPort(fwd.hostPort), 'must be a port 1..65535');
      check(`${f}.guestPort`, isPort(fwd.guestPort), 'must be a port 1..65535');
      check(`${f}.hostAddress`, fwd.hostAddress === undefined || /^[0-9.]+$/.test(fwd.hostAddress), 'must be an IPv4 address');
    });
  });
  for (const [field, path] of [['cdrom.path', spec.cdrom?.path], ['cloudInitSeed.path', spec.cloudInitSeed?.path],
    ['kernel.path', spec.kernel?.path], ['kernel.initrdPath', spec.kernel?.initrdPath], ['serial.logPath', spec.serial?.logPath],
    ['pidfile', spec.pidfile]] as const) {
    check(field, path === undefined || path.startsWith('/'), 'must be absolute');
  }
  for (const [field, path] of [['qmpSocketPath', spec.qmpSocketPath], ['serial.socketPath', spec.serial?.socketPath],
    ['vnc.socketPath', spec.vnc?.socketPath], ['guestAgentSocketPath', spec.guestAgentSocketPath]] as const) {
    if (path === undefined) continue;
    check(field, path.startsWith('/'), 'must be absolute');
    check(field, Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES, `unix socket paths are limited to ${MAX_SOCKET_PATH_BYTES} bytes`);
  }
  check('kernel.cmdline', spec.kernel?.cmdline === undefined || spec.kernel.path !== undefined, 'needs kernel.path');
}

function check(field: string, ok: boolean, message: string): void {
  if (!ok) throw new QemuSpecError(field, message);
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}
