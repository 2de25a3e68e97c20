import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { NovaCronClient } from '@novacron/client';
import {
  ensureTestGuest, freePort, killIfAlive, processAlive, requireQemu, waitForExit,
} from '../../apps/agent/src/drivers/hypervisor/qemu/testing/qemu-test-env';
import { GUEST_OUT } from './support/system-env';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'admin@restart.test', password: 'restart-test-password-1' };

/** The state letter of /proc/<pid>/stat (R, S, D, Z, ...), or undefined when the process is gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns something truthy (errors count as "not yet", the last one is reported). */
async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await sleep(200);
  }
}

// Issue 3's promise: the control plane (with its embedded agent) is a restartable process; the VMs it manages are not its
// children and keep running through a SIGTERM + start, re-adopted with the same QEMU pid.
describe('system: a running VM survives a control-plane restart', { timeout: 900_000 }, () => {
  let dataDir: string;
  let port: number;
  let server: ChildProcess | undefined;
  let output = '';
  const qemuPids = new Set<number>();

  /** Starts `node --import tsx apps/server/src/main.ts` on the shared data dir and waits for /api/v1/health. */
  const startServer = async (): Promise<NovaCronClient> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NOVACRON_DATA_DIR: dataDir,
        NOVACRON_PORT: String(port),
        NOVACRON_HOST: '127.0.0.1',
        NOVACRON_ADMIN_EMAIL: ADMIN.email,
        NOVACRON_ADMIN_PASSWORD: ADMIN.password,
        NOVACRON_IMPORT_DIRS: GUEST_OUT,
        NOVACRON_EMBEDDED_AGENT: 'true',
        NOVACRON_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const anon = new NovaCronClient({ baseUrl: `http://127.0.0.1:${port}` });
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
      return (await anon.call('system.health')).status === 'ok';
    }, 'GET /api/v1/health', 120_000).catch((error: Error) => {
      throw new Error(`${error.message}\nserver output:\n${output}`);
    });
    const login = await anon.call('auth.login', { body: ADMIN });
    return new NovaCronClient({ baseUrl: anon.baseUrl, token: login.accessToken });
  };

  /** SIGTERMs the server and waits for it to exit; returns its exit code. */
  const stopServer = async (): Promise<number | null> => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      child.kill('SIGKILL');
      throw new Error(`the server did not exit within 30 s of SIGTERM\n${output}`);
    }
    return code;
  };

  let client: NovaCronClient;
  let vmId: string;
  let pidBefore: number;

  const vm = () => client.call('vms.get', { params: { id: vmId } });
  const serialLog = async () => (await client.call('vms.serialLog', { params: { id: vmId }, query: { maxBytes: 1024 * 1024 } })).text;
  const waitOperation = async (id: string) => {
    const done = await waitFor(async () => {
      const op = await client.call('operations.wait', { params: { id }, query: { timeout: 30 } });
      return op.status === 'succeeded' || op.status === 'failed' || op.status === 'cancelled' ? op : undefined;
    }, `operation ${id}`, 300_000);
    assert.equal(done.status, 'succeeded', `operation ${id}: ${JSON.stringify(done.error)}`);
    return done;
  };

  before(async () => {
    requireQemu();
    await ensureTestGuest();
    dataDir = await mkdtemp(join(tmpdir(), 'nc-cp-restart-'));
    port = await freePort();
    client = await startServer();
  });
  after(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await waitFor(async () => server?.exitCode !== null || server?.signalCode !== null, 'server exit', 10_000).catch(() => undefined);
    }
    for (const pid of qemuPids) killIfAlive(pid);
    for (const pid of qemuPids) await waitForExit(pid, 5000);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('boots the tiny guest on the embedded agent', async (t) => {
    await waitFor(async () => (await client.call('nodes.list')).items.find((n) => n.state === 'online'), 'the embedded node online');
    const images: string[] = [];
    for (const [name, kind, file] of [['tiny-kernel', 'kernel', 'vmlinuz'], ['tiny-initrd', 'initrd', 'initrd.img']] as const) {
      const op = await client.call('images.create', { body: { name, kind, source: { path: join(GUEST_OUT, file) } } });
      const done = await waitOperation(op.id);
      const result = done.result as Record<string, unknown> | null;
      images.push(String(result?.imageId ?? result?.id));
    }
    const started = Date.now();
    const op = await client.call('vms.create', {
      body: {
        name: 'survivor', vcpus: 1, memoryMiB: 128, boot: { kernelImage: images[0], initrdImage: images[1], cmdline: 'console=ttyS0' },
        disks: [], networks: [{ network: 'default' }], start: true,
      },
    });
    vmId = op.resources[0].split('/').at(-1) as string;
    await waitOperation(op.id);
    await waitFor(async () => (await vm()).state === 'running', 'VM running', 180_000);
    const current = await vm();
    assert.ok(current.pid, 'the running VM reports its QEMU pid');
    pidBefore = current.pid;
    qemuPids.add(pidBefore);
    await waitFor(async () => /NOVACRON-GUEST-READY/.test(await serialLog()), 'NOVACRON-GUEST-READY on the serial log', 240_000);
    t.diagnostic(`create → guest ready: ${Date.now() - started} ms, QEMU pid ${pidBefore}`);
  });

  it('SIGTERM stops the control plane but not QEMU', async () => {
    const code = await stopServer();
    assert.equal(code, 0, `the server exits cleanly on SIGTERM\n${output}`);
    // Give a late kill (e.g. from an exit hook) the chance to land before judging.
    await sleep(1000);
    const state = procState(pidBefore);
    assert.ok(state !== undefined, `QEMU pid ${pidBefore} is gone after the control plane stopped`);
    assert.notEqual(state, 'Z', `QEMU pid ${pidBefore} is a zombie`);
    assert.ok(processAlive(pidBefore));
  });

  it('the restarted control plane re-adopts the same QEMU process', async (t) => {
    const started = Date.now();
    client = await startServer();
    t.diagnostic(`restart → health: ${Date.now() - started} ms`);
    await waitFor(async () => (await client.call('nodes.list')).items.find((n) => n.state === 'online'), 'the node online again', 120_000);
    const current = await waitFor(async () => {
      const v = await vm();
      return v.state === 'running' && v.pid ? v : undefined;
    }, 'VM running again after the restart', 120_000);
    t.diagnostic(`restart → VM running again: ${Date.now() - started} ms`);
    assert.equal(current.pid, pidBefore, 'the same QEMU process, not a new one');
    assert.notEqual(procState(pidBefore), 'Z');
    // Still the same guest: the serial log holds its one boot, and nothing booted it again.
    const log = await serialLog();
    assert.match(log, /NOVACRON-GUEST-READY/);
    assert.equal(log.match(/NOVACRON-GUEST-BOOT/g)?.length, 1, 'the guest booted once');
  });

  it('operations still list after the restart (including the ones from before it)', async () => {
    const page = await client.call('operations.list', { query: { limit: 50 } });
    assert.ok(page.items.length >= 3, `expected the image imports and the VM create, got ${page.items.length}`);
    const create = page.items.find((op) => op.resources.some((r) => r.endsWith(`/${vmId}`)));
    assert.ok(create, 'the VM create operation from before the restart is listed');
    assert.equal(create.status, 'succeeded');
  });
});
