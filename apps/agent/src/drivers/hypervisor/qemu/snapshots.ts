// VM snapshots as internal qcow2 snapshots, so a disk's path never changes (the spec mapper keeps resolving the same
// files) and one tag names the snapshot on every disk:
// - running VM, with RAM: the `snapshot-save` / `snapshot-load` / `snapshot-delete` jobs (QEMU >= 6.0). They run as jobs,
//   so the one QMP connection stays responsive, unlike HMP savevm which blocks the monitor.
// - running VM, disk only: one `transaction` of `blockdev-snapshot-internal-sync` over all disks (atomic).
// - stopped VM: `qemu-img snapshot` per disk (QEMU's image lock makes it fail rather than touch a disk in use).
// Reverting a disk-only snapshot needs the VM stopped (QEMU cannot swap a running guest's disk contents under it).
import { AgentError } from '../../../lib/agent-error';
import { qemuImg } from '../../storage/qemu-img';
import { asInUse } from './image-lock';
import { qemuOption } from './qemu-option';
import type { QmpClient } from './qmp/qmp-client';
import { queryBlock, type QmpBlockInfo } from './qmp/qmp-commands';

/** One snapshot of a VM, merged over its disks. */
export interface VmSnapshotInfo {
  /** The tag (NovaCron's snapshot id). */
  tag: string;
  createdAt: string;
  /** Whether the snapshot holds the VM's RAM and device state (a full snapshot). */
  includesRam: boolean;
  /** Size of the saved VM state (0 for a disk-only snapshot). */
  vmStateBytes: number;
  /** Guest clock at the snapshot, in seconds since the VM started. */
  vmClockSeconds: number;
  /** Disks (QEMU node names, or paths of a stopped VM) that hold the snapshot; a complete one is on every disk. */
  disks: string[];
  /** False when some snapshot-capable disk lacks it (e.g. a disk attached after the snapshot): reverting is refused. */
  complete: boolean;
}

/** A disk of a stopped VM. */
export interface OfflineDisk {
  path: string;
  format: 'qcow2' | 'raw';
  readonly?: boolean;
}

/**
 * Where the snapshot is taken: a running VM through its QMP connection (the driver's `QemuInstance.qmp`; QEMU serves
 * one QMP client at a time), or a stopped VM's disk files.
 */
export type SnapshotTarget = { kind: 'running'; qmp: QmpClient } | { kind: 'stopped'; disks: OfflineDisk[] };

/** Options of `createSnapshot`. */
export interface CreateSnapshotOptions {
  /** Save RAM and device state too (running VM only; ignored, and reported false, for a stopped VM). */
  includeRam: boolean;
  /** Budget for the whole operation (default 10 minutes: saving RAM writes the guest's memory to disk). */
  timeoutMs?: number;
}

/** What a snapshot operation did. */
export interface SnapshotResult {
  includesRam: boolean;
  /** The VM state size (for a RAM snapshot). */
  sizeBytes?: number;
}

const TAG = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_TIMEOUT_MS = 600_000;

/** Takes snapshot `tag` of every writable disk (and RAM with `includeRam` on a running VM). Idempotent for the same tag. */
export async function createSnapshot(target: SnapshotTarget, tag: string, opts: CreateSnapshotOptions): Promise<SnapshotResult> {
  checkTag(tag);
  const existing = (await listSnapshots(target)).find((s) => s.tag === tag);
  if (existing?.complete) return { includesRam: existing.includesRam, sizeBytes: existing.vmStateBytes || undefined };
  if (existing) throw new AgentError('IN_USE', `snapshot ${tag} exists on some disks only (${existing.disks.join(', ')})`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (target.kind === 'stopped') {
    const disks = snapshotDisks(target.disks);
    const done: OfflineDisk[] = [];
    try {
      for (const disk of disks) {
        await qemuImg(imgSnapshot('-c', tag, disk.path), { timeoutMs });
        done.push(disk);
      }
    } catch (error) {
      for (const disk of done) await qemuImg(imgSnapshot('-d', tag, disk.path)).catch(() => undefined);
      throw asInUse(error);
    }
    return { includesRam: false };
  }
  const nodes = await runningSnapshotNodes(target.qmp);
  if (opts.includeRam) {
    await runSnapshotJob(target.qmp, 'snapshot-save', { tag, vmstate: nodes[0], devices: nodes }, timeoutMs);
    const saved = (await listSnapshots(target)).find((s) => s.tag === tag);
    return { includesRam: true, sizeBytes: saved?.vmStateBytes };
  }
  await target.qmp.execute(
    'transaction',
    { actions: nodes.map((node) => ({ type: 'blockdev-snapshot-internal-sync', data: { device: node, name: tag } })) },
    { timeoutMs },
  );
  return { includesRam: false };
}

/**
 * Reverts to snapshot `tag`. A running VM must have a RAM snapshot (it comes back in the state it had then, running or
 * paused as it was before the revert); a disk-only snapshot needs the VM stopped. On a stopped VM only disk contents
 * are reverted: a RAM snapshot's saved memory is not loaded (`ramRestored: false`), the next start boots cold.
 */
export async function revertSnapshot(target: SnapshotTarget, tag: string, opts: { timeoutMs?: number } = {}): Promise<SnapshotResult & { ramRestored: boolean }> {
  checkTag(tag);
  const snapshot = (await listSnapshots(target)).find((s) => s.tag === tag);
  if (!snapshot) throw new AgentError('NOT_FOUND', `snapshot ${tag} not found`);
  if (!snapshot.complete) throw new AgentError('INVALID_STATE', `snapshot ${tag} is missing on some disks; cannot revert consistently`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (target.kind === 'stopped') {
    for (const disk of snapshotDisks(target.disks)) {
      await qemuImg(imgSnapshot('-a', tag, disk.path), { timeoutMs }).catch((error: unknown) => {
        throw asInUse(error);
      });
    }
    return { includesRam: snapshot.includesRam, ramRestored: false };
  }
  if (!snapshot.includesRam) {
    throw new AgentError('INVALID_STATE', `snapshot ${tag} is disk-only: stop the VM to revert it`);
  }
  const nodes = await runningSnapshotNodes(target.qmp);
  const vmstate = await vmStateNode(target.qmp, tag, nodes);
  await runSnapshotJob(target.qmp, 'snapshot-load', { tag, vmstate, devices: nodes }, timeoutMs);
  return { includesRam: true, ramRestored: true, sizeBytes: snapshot.vmStateBytes };
}

/** Deletes snapshot `tag` from every disk that has it; absent is fine (idempotent). */
export async function deleteSnapshot(target: SnapshotTarget, tag: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  checkTag(tag);
  const snapshot = (await listSnapshots(target)).find((s) => s.tag === tag);
  if (!snapshot) return;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (target.kind === 'stopped') {
    for (const path of snapshot.disks) {
      await qemuImg(imgSnapshot('-d', tag, path), { timeoutMs }).catch((error: unknown) => {
        throw asInUse(error);
      });
    }
    return;
  }
  await runSnapshotJob(target.qmp, 'snapshot-delete', { tag, devices: snapshot.disks }, timeoutMs);
}

/** Snapshots of the VM, oldest first, merged by tag over its snapshot-capable disks. */
export async function listSnapshots(target: SnapshotTarget): Promise<VmSnapshotInfo[]> {
  const perDisk: Array<{ disk: string; snapshots: QemuSnapshotInfo[] }> = [];
  if (target.kind === 'running') {
    const block = await queryBlock(target.qmp);
    for (const entry of writableBlock(block)) perDisk.push({ disk: entry.node, snapshots: entry.snapshots });
  } else {
    for (const disk of snapshotDisks(target.disks)) {
      const raw = await qemuImg(['info', '--output=json', '-f', 'qcow2', disk.path], { timeoutMs: 30_000 }).catch((error: unknown) => {
        throw asInUse(error);
      });
      perDisk.push({ disk: disk.path, snapshots: (JSON.parse(raw) as { snapshots?: QemuSnapshotInfo[] }).snapshots ?? [] });
    }
  }
  return mergeSnapshots(perDisk);
}

/** One internal snapshot as QEMU reports it (query-block `image.snapshots`, `qemu-img info --output=json`). */
export interface QemuSnapshotInfo {
  id: string;
  name: string;
  'vm-state-size': number;
  'date-sec': number;
  'date-nsec': number;
  'vm-clock-sec': number;
  'vm-clock-nsec': number;
}

/** Merges per-disk snapshot lists into one list by tag (exported for unit tests). */
export function mergeSnapshots(perDisk: Array<{ disk: string; snapshots: QemuSnapshotInfo[] }>): VmSnapshotInfo[] {
  const byTag = new Map<string, VmSnapshotInfo & { sortKey: number }>();
  for (const { disk, snapshots } of perDisk) {
    for (const s of snapshots) {
      const at = s['date-sec'] * 1000 + Math.floor(s['date-nsec'] / 1e6);
      const entry = byTag.get(s.name) ?? {
        tag: s.name, createdAt: new Date(at).toISOString(), includesRam: false, vmStateBytes: 0,
        vmClockSeconds: s['vm-clock-sec'] + s['vm-clock-nsec'] / 1e9, disks: [], complete: false, sortKey: at,
      };
      entry.disks.push(disk);
      if (s['vm-state-size'] > 0) {
        entry.includesRam = true;
        entry.vmStateBytes += s['vm-state-size'];
      }
      byTag.set(s.name, entry);
    }
  }
  return [...byTag.values()]
    .sort((a, b) => a.sortKey - b.sortKey || a.tag.localeCompare(b.tag))
    .map(({ sortKey: _sortKey, ...s }) => ({ ...s, complete: s.disks.length === perDisk.length }));
}

// `qemu-img snapshot` has no -f: pin the format with --image-opts rather than let qemu-img probe it.
function imgSnapshot(action: '-c' | '-a' | '-d', tag: string, path: string): string[] {
  return ['snapshot', '-q', '--image-opts', action, tag, qemuOption(undefined, { driver: 'qcow2', 'file.filename': path })];
}

function checkTag(tag: string): void {
  if (!TAG.test(tag)) throw new AgentError('BAD_REQUEST', `invalid snapshot id ${JSON.stringify(tag)}`);
}

// Like savevm: every writable disk must be able to hold the snapshot, or reverting would mix old and new disk contents.
function snapshotDisks(disks: OfflineDisk[]): OfflineDisk[] {
  const writable = disks.filter((d) => !d.readonly);
  const raw = writable.filter((d) => d.format !== 'qcow2');
  if (raw.length) throw new AgentError('UNSUPPORTED', `snapshots need qcow2 disks; ${raw.map((d) => d.path).join(', ')} is ${raw[0].format}`);
  if (!writable.length) throw new AgentError('UNSUPPORTED', 'the VM has no writable qcow2 disk to hold a snapshot');
  return writable;
}

// query-block's inserted image also lists its internal snapshots (ImageInfo.snapshots).
type InsertedImage = NonNullable<NonNullable<QmpBlockInfo['inserted']>['image']> & { snapshots?: QemuSnapshotInfo[] };

/** Writable block devices with media: the disks a snapshot must cover (CD-ROMs and read-only disks are left out). */
function writableBlock(block: QmpBlockInfo[]): Array<{ node: string; drv: string; snapshots: QemuSnapshotInfo[] }> {
  return block
    .filter((b) => b.inserted && !b.inserted.ro)
    .map((b) => ({
      node: b.inserted?.['node-name'] ?? b.device,
      drv: b.inserted?.drv ?? '',
      snapshots: (b.inserted?.image as InsertedImage | undefined)?.snapshots ?? [],
    }));
}

async function runningSnapshotNodes(qmp: QmpClient): Promise<string[]> {
  const block = await queryBlock(qmp);
  const writable = writableBlock(block);
  const raw = writable.filter((b) => b.drv !== 'qcow2');
  if (raw.length) throw new AgentError('UNSUPPORTED', `snapshots need qcow2 disks; ${raw.map((b) => b.node).join(', ')} is ${raw[0].drv}`);
  if (!writable.length) throw new AgentError('UNSUPPORTED', 'the VM has no writable qcow2 disk to hold a snapshot');
  return writable.map((b) => b.node);
}

// snapshot-load must be told which disk holds the VM state: the one whose snapshot has a non-zero vm-state-size.
async function vmStateNode(qmp: QmpClient, tag: string, nodes: string[]): Promise<string> {
  for (const entry of writableBlock(await queryBlock(qmp))) {
    const s = entry.snapshots.find((x) => x.name === tag);
    if (s && s['vm-state-size'] > 0 && nodes.includes(entry.node)) return entry.node;
  }
  throw new AgentError('INVALID_STATE', `snapshot ${tag} has no saved VM state`);
}

let jobCounter = 0;

/**
 * Runs a snapshot-* job to its end: waits for JOB_STATUS_CHANGE `concluded` (registered before the command, the event
 * can beat the reply), reads the job's error from query-jobs, then dismisses it.
 */
async function runSnapshotJob(qmp: QmpClient, command: string, args: Record<string, unknown>, timeoutMs: number): Promise<void> {
  const jobId = `nc-${command}-${process.pid}-${++jobCounter}`;
  try {
    await qmp.executeAndWaitForEvent(
      command,
      { 'job-id': jobId, ...args },
      'JOB_STATUS_CHANGE',
      (e) => e.data.id === jobId && e.data.status === 'concluded',
      { timeoutMs },
    );
  } catch (error) {
    // On timeout the job may still run: cancel it so the VM is not left in save-vm/restore-vm.
    await qmp.execute('job-cancel', { id: jobId }).catch(() => undefined);
    throw error;
  }
  const jobs = await qmp.execute<Array<{ id: string; error?: string }>>('query-jobs');
  const error = jobs.find((j) => j.id === jobId)?.error;
  await qmp.execute('job-dismiss', { id: jobId }).catch(() => undefined);
  if (error) throw new AgentError('HYPERVISOR_ERROR', `${command} failed: ${error}`);
}

