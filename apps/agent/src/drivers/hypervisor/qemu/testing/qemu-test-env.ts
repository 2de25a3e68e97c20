// TEST HELPERS for *.it.test.ts files that run a real QEMU and the tiny test guest (tests/guest/).
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../../..');

/** The QEMU binary integration tests use (override with NOVACRON_QEMU). */
export const QEMU_BINARY = process.env.NOVACRON_QEMU ?? 'qemu-system-x86_64';

/** Paths of the built tiny test guest. */
export interface TestGuest {
  kernel: string;
  initrd: string;
  disk: string;
}

/** A reason to skip QEMU tests on this machine, or false when QEMU can run. */
/** Fails loudly when QEMU is missing: a test that cannot run must not pass as skipped. */
export function requireQemu(): void {
  const probe = spawnSync(QEMU_BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`${QEMU_BINARY} not available: run \`npm test\` as root or apt-get install qemu-system-x86`);
}

/** Builds the tiny guest with tests/guest/build.sh when needed (cached, so cheap when up to date). */
export async function ensureTestGuest(): Promise<TestGuest> {
  const out = process.env.NOVACRON_GUEST_OUT ?? join(repoRoot, 'tests/guest/out');
  const guest = { kernel: join(out, 'vmlinuz'), initrd: join(out, 'initrd.img'), disk: join(out, 'disk.qcow2') };
  await execFileAsync('bash', [join(repoRoot, 'tests/guest/build.sh')], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  for (const file of Object.values(guest)) await access(file);
  return guest;
}

/** A free TCP port on 127.0.0.1 (released before returning, so there is a small race). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether a process with `pid` exists and is not a zombie (a daemonized QEMU is reaped by init, sometimes late). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `pid` has exited; returns false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return !processAlive(pid);
}

/** Reads a QEMU pidfile (written with -pidfile), or undefined if absent. */
export async function readPidfile(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const pid = text ? Number.parseInt(text.trim(), 10) : Number.NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** SIGKILLs `pid` if it is still running (cleanup in `after` hooks). */
export function killIfAlive(pid: number | undefined): void {
  if (pid !== undefined && processAlive(pid)) process.kill(pid, 'SIGKILL');
}
