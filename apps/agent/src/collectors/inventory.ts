import type { NodeInventory } from '@novacron/api';
import { execFile } from 'node:child_process';
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { probeKvm, type KvmProbeResult } from '../drivers/hypervisor/qemu/kvm-probe.ts';
import { AGENT_VERSION } from '../version';

/** Inventory plus why KVM is (not) used, for logs. */
export interface CollectedInventory {
  inventory: NodeInventory;
  kvm: KvmProbeResult;
}

/** Collects what `hello` reports: CPU, memory, filesystems, KVM (probed, not assumed), QEMU version. */
export async function collectInventory(opts: { qemuBinary?: string; paths?: string[] } = {}): Promise<CollectedInventory> {
  const qemuBinary = opts.qemuBinary ?? process.env.NOVACRON_QEMU ?? 'qemu-system-x86_64';
  const [cpuinfo, kvm, qemuVersion, disks] = await Promise.all([
    readFile('/proc/cpuinfo', 'utf8').catch(() => ''),
    probeKvm({ qemuBinary }),
    readQemuVersion(qemuBinary),
    collectDisks(opts.paths ?? []),
  ]);
  return {
    kvm,
    inventory: {
      cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
      cpus: Math.max(1, os.availableParallelism()),
      memoryMiB: Math.max(1, Math.floor(os.totalmem() / 1024 / 1024)),
      disks,
      kvm: kvm.usable,
      accel: kvm.usable ? 'kvm' : 'tcg',
      qemuVersion,
      agentVersion: AGENT_VERSION,
      arch: os.arch() === 'x64' ? 'x86_64' : os.arch(),
    },
  };
}

/** `qemu-system-x86_64 --version` → `7.2.22`; `unavailable` when QEMU is missing. */
export function readQemuVersion(binary: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 10_000 }, (error, stdout) => {
      resolve(error ? 'unavailable' : (/version\s+(\S+)/i.exec(stdout)?.[1] ?? stdout.split('\n')[0]?.trim() ?? 'unknown'));
    });
  });
}

/** Filesystems of real block devices (from /proc/mounts) plus the given paths, one entry per filesystem. */
async function collectDisks(paths: string[]): Promise<NodeInventory['disks']> {
  const mounts = await readFile('/proc/mounts', 'utf8').catch(() => '');
  const candidates = [
    ...mounts.split('\n').map((line) => line.split(' ')).filter((f) => f[0]?.startsWith('/dev/')).map((f) => unescapeMount(f[1])),
    ...paths,
  ];
  const seen = new Set<string>();
  const disks: NodeInventory['disks'] = [];
  for (const path of candidates) {
    const fs = await statfs(path).catch(() => undefined);
    if (!fs || fs.blocks === 0) continue;
    const key = `${fs.type}:${fs.blocks}:${fs.bfree}`;
    if (seen.has(key)) continue; // bind mounts of one filesystem
    seen.add(key);
    disks.push({ path, sizeBytes: fs.blocks * fs.bsize, availableBytes: fs.bavail * fs.bsize });
  }
  return disks;
}

/** Memory available for new guests (MemAvailable) and the 1-minute load, for heartbeats. */
export async function hostLoad(): Promise<{ memoryAvailableMiB?: number; load1?: number }> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kb = Number(/^MemAvailable:\s+(\d+)/m.exec(meminfo)?.[1] ?? Number.NaN);
  return { memoryAvailableMiB: Number.isFinite(kb) ? Math.floor(kb / 1024) : Math.floor(os.freemem() / 1024 / 1024), load1: os.loadavg()[0] };
}

// /proc/mounts escapes spaces and friends as octal (\040).
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}
