import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrno, writeFileAtomic } from '../lib/fs-util';
import { vmRunPaths } from '../state-dir';

/** Why a VM's process ended without the agent asking. */
export type EndReason = 'crashed' | 'guest-shutdown' | 'host-shutdown';

/** What the reconciler remembers of a VM across agent restarts. */
export interface VmRecord {
  vmId: string;
  /** Revision of the desired spec last acted on (reported as `observedRevision`). */
  observedRevision: number;
  /** QEMU was running at the last look (so its absence after a restart means it ended while the agent was away). */
  running: boolean;
  /** QEMU ended on its own at spec `revision`: only the restart policy or a newer revision starts it again. */
  ended?: { revision: number; reason: EndReason; at: string; detail?: Record<string, unknown> };
  /** Restarts by restart policy since the VM last ran stable (for the crash-loop delay). */
  restarts: number;
  lastStartAt?: string;
}

/** Where records are kept. */
export interface VmRecordStore {
  loadAll(): Promise<VmRecord[]>;
  save(record: VmRecord): Promise<void>;
  remove(vmId: string): Promise<void>;
}

/** Records as `<vmsDir>/<vmId>/record.json`, beside the VM's run files (a purge removes both). */
export class FileVmRecordStore implements VmRecordStore {
  constructor(private readonly vmsDir: string) {}

  async loadAll(): Promise<VmRecord[]> {
    const entries = await readdir(this.vmsDir, { withFileTypes: true }).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    });
    const records: VmRecord[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const text = await readFile(vmRunPaths(this.vmsDir, entry.name).record, 'utf8').catch(() => undefined);
      if (!text) continue;
      try {
        records.push(JSON.parse(text) as VmRecord);
      } catch {
        // A torn record cannot happen with atomic writes; if one is garbage anyway, start that VM's memory afresh.
      }
    }
    return records;
  }

  async save(record: VmRecord): Promise<void> {
    const path = vmRunPaths(this.vmsDir, record.vmId).record;
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, JSON.stringify(record));
  }

  async remove(vmId: string): Promise<void> {
    await rm(vmRunPaths(this.vmsDir, vmId).record, { force: true });
  }
}
