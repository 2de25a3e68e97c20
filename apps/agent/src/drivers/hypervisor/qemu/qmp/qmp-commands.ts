// One typed function per QMP command the QEMU driver uses. Field names are QEMU's wire names
// (kebab-case included) so what you read here is what `query-*` returns; see qemu-qmp-ref(7).
import { QmpClosedError } from './qmp-errors.ts';
import type { QmpArguments, QmpExecuteOptions, QmpExecutor } from './qmp-types.ts';

/** VM run states reported by query-status (subset that matters to the driver, plus any other string). */
export type QmpRunState =
  | 'running' | 'paused' | 'prelaunch' | 'shutdown' | 'inmigrate' | 'postmigrate' | 'finish-migrate'
  | 'suspended' | 'guest-panicked' | 'internal-error' | 'io-error' | 'restore-vm' | 'save-vm' | 'watchdog'
  | 'colo' | 'debug' | (string & {});

/** Result of query-status. */
export interface QmpStatusInfo {
  running: boolean;
  singlestep?: boolean;
  status: QmpRunState;
}

/** Result of query-version. */
export interface QmpVersionInfo {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

/** Result of query-kvm. */
export interface QmpKvmInfo {
  enabled: boolean;
  present: boolean;
}

/** One entry of query-block. */
export interface QmpBlockInfo {
  device: string;
  qdev?: string;
  locked: boolean;
  removable: boolean;
  'tray_open'?: boolean;
  'io-status'?: string;
  inserted?: {
    file: string;
    'node-name'?: string;
    ro: boolean;
    drv: string;
    'backing_file'?: string;
    image?: { filename: string; format: string; 'virtual-size': number; 'actual-size'?: number; 'dirty-flag'?: boolean };
  };
}

/** I/O counters of one block device or node (subset of BlockDeviceStats). */
export interface QmpBlockDeviceStats {
  'rd_bytes': number;
  'wr_bytes': number;
  'rd_operations': number;
  'wr_operations': number;
  'flush_operations': number;
  'rd_total_time_ns': number;
  'wr_total_time_ns': number;
  'wr_highest_offset': number;
  [key: string]: unknown;
}

/** One entry of query-blockstats. */
export interface QmpBlockStats {
  device?: string;
  qdev?: string;
  'node-name'?: string;
  stats: QmpBlockDeviceStats;
  parent?: QmpBlockStats;
}

/** One entry of query-cpus-fast. */
export interface QmpCpuInfoFast {
  'cpu-index': number;
  'qom-path': string;
  'thread-id': number;
  target: string;
  props?: { 'node-id'?: number; 'socket-id'?: number; 'core-id'?: number; 'thread-id'?: number };
}

/** One entry of query-chardev. */
export interface QmpChardevInfo {
  label: string;
  filename: string;
  'frontend-open': boolean;
}

/** Result of query-balloon. */
export interface QmpBalloonInfo {
  actual: number;
}

/** Arguments of device_add: the driver, an id, and the device's properties. */
export interface QmpDeviceAddArgs {
  driver: string;
  id: string;
  bus?: string;
  [property: string]: unknown;
}

/** Arguments of blockdev-add (BlockdevOptions): a driver, a node name, and driver options. */
export interface QmpBlockdevAddArgs {
  driver: string;
  'node-name': string;
  [option: string]: unknown;
}

/** query-status: the VM's run state. */
export const queryStatus = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpStatusInfo> =>
  qmp.execute<QmpStatusInfo>('query-status', undefined, o);

/** stop: pause all vCPUs (emits STOP). */
export const stop = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<void> => run(qmp, 'stop', undefined, o);

/** cont: resume vCPUs, also starts a VM created with -S (emits RESUME). */
export const cont = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<void> => run(qmp, 'cont', undefined, o);

/** system_powerdown: press the ACPI power button (emits POWERDOWN; the guest decides). */
export const systemPowerdown = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'system_powerdown', undefined, o);

/** system_reset: hard reset (emits RESET). */
export const systemReset = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<void> => run(qmp, 'system_reset', undefined, o);

/** quit: terminate QEMU at once (emits SHUTDOWN reason host-qmp-quit); a connection closing before the reply counts as done. */
export const quit = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'quit', undefined, o).catch((error: unknown) => {
    if (!(error instanceof QmpClosedError)) throw error;
  });

/** query-block: block devices with their inserted media. */
export const queryBlock = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpBlockInfo[]> =>
  qmp.execute<QmpBlockInfo[]>('query-block', undefined, o);

/** query-blockstats: I/O counters per device (or per node with `queryNodes`). */
export const queryBlockstats = (qmp: QmpExecutor, queryNodes = false, o?: QmpExecuteOptions): Promise<QmpBlockStats[]> =>
  qmp.execute<QmpBlockStats[]>('query-blockstats', queryNodes ? { 'query-nodes': true } : undefined, o);

/** query-cpus-fast: vCPUs with their host thread ids (no guest interruption). */
export const queryCpusFast = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpCpuInfoFast[]> =>
  qmp.execute<QmpCpuInfoFast[]>('query-cpus-fast', undefined, o);

/** device_add: hot-plug a device. */
export const deviceAdd = (qmp: QmpExecutor, args: QmpDeviceAddArgs, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'device_add', args, o);

/** device_del: request unplug; completion is the DEVICE_DELETED event with `device` = id. */
export const deviceDel = (qmp: QmpExecutor, id: string, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'device_del', { id }, o);

/** blockdev-add: add a block node graph (e.g. qcow2 over file). */
export const blockdevAdd = (qmp: QmpExecutor, args: QmpBlockdevAddArgs, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'blockdev-add', args, o);

/** blockdev-del: remove a block node that no device uses any more. */
export const blockdevDel = (qmp: QmpExecutor, nodeName: string, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'blockdev-del', { 'node-name': nodeName }, o);

/** human-monitor-command: run an HMP command line (e.g. `savevm s1`) and return its text output. */
export const humanMonitorCommand = (qmp: QmpExecutor, commandLine: string, o?: QmpExecuteOptions): Promise<string> =>
  qmp.execute<string>('human-monitor-command', { 'command-line': commandLine }, o);

/** query-version: the running QEMU's version. */
export const queryVersion = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpVersionInfo> =>
  qmp.execute<QmpVersionInfo>('query-version', undefined, o);

/** query-kvm: whether KVM is present and in use by this QEMU. */
export const queryKvm = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpKvmInfo> =>
  qmp.execute<QmpKvmInfo>('query-kvm', undefined, o);

/** balloon: ask the guest balloon driver to make guest memory `bytes` (emits BALLOON_CHANGE). */
export const balloon = (qmp: QmpExecutor, bytes: number, o?: QmpExecuteOptions): Promise<void> =>
  run(qmp, 'balloon', { value: bytes }, o);

/** query-balloon: the guest's current memory size according to the balloon. */
export const queryBalloon = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpBalloonInfo> =>
  qmp.execute<QmpBalloonInfo>('query-balloon', undefined, o);

/** query-chardev: character devices (serial, QMP, guest agent sockets) and whether a frontend is open. */
export const queryChardev = (qmp: QmpExecutor, o?: QmpExecuteOptions): Promise<QmpChardevInfo[]> =>
  qmp.execute<QmpChardevInfo[]>('query-chardev', undefined, o);

async function run(qmp: QmpExecutor, command: string, args: QmpArguments | undefined, o?: QmpExecuteOptions): Promise<void> {
  await qmp.execute<Record<string, never>>(command, args, o);
}
