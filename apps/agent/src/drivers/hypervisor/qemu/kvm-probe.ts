import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QmpClient } from './qmp/qmp-client.ts';
import { queryKvm } from './qmp/qmp-commands.ts';

/** Whether KVM can run real guests here, and why (for node inventory). */
export interface KvmProbeResult {
  usable: boolean;
  reason: string;
}

/** Where probeKvm looks; defaults are the real host paths. */
export interface KvmProbeOptions {
  qemuBinary?: string;
  /** Overall budget; past it the probe answers `usable: false` (default 5000 ms). */
  timeoutMs?: number;
  cpuinfoPath?: string;
  devKvmPath?: string;
}

/** True when a /proc/cpuinfo text shows hardware virtualization (vmx or svm flags). */
export function cpuinfoHasVirtualization(cpuinfo: string): boolean {
  return /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
}

/**
 * Decides whether KVM truly works: the CPU must show vmx/svm (a paravirtual /dev/kvm without them
 * only runs special guest kernels and fails real ones), /dev/kvm must be read-writable, and a
 * paused QEMU started with `-accel kvm` must report `query-kvm` enabled and present. Never
 * throws: any failure or timeout means TCG.
 */
export async function probeKvm(options: KvmProbeOptions = {}): Promise<KvmProbeResult> {
  const cpuinfo = await readFile(options.cpuinfoPath ?? '/proc/cpuinfo', 'utf8').catch(() => '');
  if (!cpuinfoHasVirtualization(cpuinfo)) return { usable: false, reason: 'CPU has no vmx/svm flag' };
  const devKvm = options.devKvmPath ?? '/dev/kvm';
  try {
    await access(devKvm, constants.R_OK | constants.W_OK);
  } catch {
    return { usable: false, reason: `${devKvm} is missing or not read-writable` };
  }
  return probeWithQemu(options.qemuBinary ?? 'qemu-system-x86_64', options.timeoutMs ?? 5000);
}

async function probeWithQemu(binary: string, timeoutMs: number): Promise<KvmProbeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'nc-kvm-probe-'));
  const socket = join(dir, 'qmp.sock');
  const qemu = spawn(binary, [
    '-accel', 'kvm', '-machine', 'pc', '-S', '-nodefaults', '-no-user-config', '-display', 'none', '-m', '16',
    '-qmp', `unix:${socket},server=on,wait=off`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  qemu.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<KvmProbeResult>((resolve) => {
    qemu.once('error', (error) => resolve({ usable: false, reason: `cannot run ${binary}: ${error.message}` }));
    qemu.once('close', () => resolve({ usable: false, reason: `QEMU refused -accel kvm: ${firstLine(stderr) || 'exited'}` }));
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<KvmProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ usable: false, reason: `KVM probe timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const asked = (async (): Promise<KvmProbeResult> => {
    const qmp = await QmpClient.connect(socket, { connectTimeoutMs: timeoutMs, defaultTimeoutMs: timeoutMs });
    try {
      const kvm = await queryKvm(qmp);
      return kvm.enabled && kvm.present
        ? { usable: true, reason: 'query-kvm reports KVM enabled' }
        : { usable: false, reason: `query-kvm reports enabled=${kvm.enabled} present=${kvm.present}` };
    } finally {
      await qmp.close();
    }
  })().catch((error: Error) => ({ usable: false, reason: `KVM probe failed: ${error.message}` }));
  try {
    // An early exit wins over the connect error it causes, so the reason is QEMU's own message.
    return await Promise.race([asked.then(async (r) => (r.usable ? r : Promise.race([exited, delay(200, r)]))), exited, timedOut]);
  } finally {
    clearTimeout(timer);
    if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim())?.trim() ?? '';
}
