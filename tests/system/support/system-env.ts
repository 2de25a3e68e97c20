// TEST HELPER for system tests: the real control plane (startTestServer) plus the real node agent in-process, joined
// with a join token, driven through the HTTP API like a user would. Kill every QEMU in `close()`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startAgent, type RunningAgent } from '../../../apps/agent/src/agent';
import { ensureTestGuest, killIfAlive, requireQemu, waitForExit } from '../../../apps/agent/src/drivers/hypervisor/qemu/testing/qemu-test-env';
import { silentLogger } from '../../../apps/agent/src/lib/logger';
import { startTestServer, type TestServer } from '../../../apps/server/src/testing/test-server';

/** tests/guest/out: the tiny guest's kernel, initrd and disk (build with tests/guest/build.sh). */
export const GUEST_OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../../guest/out');

/** An event as /api/v1/events streams it. */
export interface StreamedEvent {
  type: string;
  [key: string]: unknown;
}

/** A running control plane + agent. */
export interface SystemEnv {
  srv: TestServer;
  token: string;
  agentStateDir: string;
  agent: RunningAgent | undefined;
  /** Everything received on /api/v1/events (as the admin). */
  events: StreamedEvent[];
  /** Calls the API as the admin; throws with the problem detail unless the status is 2xx. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Starts (or restarts) the in-process agent; the first start creates and uses a join token. */
  startAgent(): Promise<RunningAgent>;
  stopAgent(): Promise<void>;
  /** Waits for an operation to end and returns it (throws if it failed). */
  waitOperation(op: { id: string }, timeoutSeconds?: number): Promise<Record<string, unknown>>;
  /** Polls a VM until `check` passes. */
  waitVm(id: string, check: (vm: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Polls until `check` returns something truthy. */
  waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  /** Imports the tiny guest's kernel and initrd by path (names `<prefix>-kernel`, `<prefix>-initrd`) for direct kernel boot. */
  importGuestBoot(prefix: string): Promise<{ kernelImage: string; initrdImage: string }>;
  /** The VM's serial log as the API keeps it (up to 1 MiB). */
  serialLog(vmId: string): Promise<string>;
  /** QEMU pids to kill at the end (VM pids seen through the API are added automatically). */
  pids: Set<number>;
  close(): Promise<void>;
}

/** Starts the control plane with NOVACRON_IMPORT_DIRS=tests/guest/out and returns helpers; call `startAgent()` next. */
export async function startSystemEnv(): Promise<SystemEnv> {
  const srv = await startTestServer({ env: { NOVACRON_IMPORT_DIRS: GUEST_OUT } });
  const admin = await srv.admin();
  const agentStateDir = await mkdtemp(join(tmpdir(), 'nc-sys-agent-'));
  const events: StreamedEvent[] = [];
  const pids = new Set<number>();
  const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/api/v1/events`, { headers: { authorization: `Bearer ${admin.token}` } });
  ws.on('message', (raw) => events.push(JSON.parse(String(raw)) as StreamedEvent));
  await new Promise<void>((resolveOpen, reject) => {
    const deadline = Date.now() + 10_000;
    const fail = (why: string) => {
      clearInterval(check);
      reject(new Error(`events socket: ${why}`));
    };
    ws.once('error', (error) => fail(error.message));
    ws.once('unexpected-response', (_req, res) => fail(`HTTP ${res.statusCode}`));
    const check = setInterval(() => {
      if (events.some((e) => e.type === 'ready')) {
        clearInterval(check);
        resolveOpen();
      } else if (Date.now() > deadline) fail('no ready message within 10 s');
    }, 10);
  });

  const api: SystemEnv['api'] = async (method, path, body) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    const parsed = text ? JSON.parse(text) : {};
    if (typeof parsed?.pid === 'number') pids.add(parsed.pid);
    return parsed;
  };

  const waitFor: SystemEnv['waitFor'] = async (check, what, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const env: SystemEnv = {
    srv, token: admin.token, agentStateDir, agent: undefined, events, api, waitFor, pids,
    async startAgent() {
      let joinToken: string | undefined;
      if (!env.agent && !started) joinToken = (await api<{ token: string }>('POST', '/api/v1/nodes/join-tokens', { description: 'system test' })).token;
      started = true;
      env.agent = await startAgent({ serverUrl: srv.url, joinToken, stateDir: agentStateDir, logger: silentLogger, hostname: 'system-test-node' });
      return env.agent;
    },
    async stopAgent() {
      await env.agent?.stop();
      env.agent = undefined;
    },
    async waitOperation(op, timeoutSeconds = 120) {
      const done = await api<Record<string, unknown>>('GET', `/api/v1/operations/${op.id}/wait?timeout=${timeoutSeconds}`);
      if (done.status !== 'succeeded') throw new Error(`operation ${op.id} ended ${String(done.status)}: ${JSON.stringify(done.error)}`);
      return done;
    },
    async importGuestBoot(prefix) {
      const ids: string[] = [];
      for (const [kind, file] of [['kernel', 'vmlinuz'], ['initrd', 'initrd.img']] as const) {
        const op = await api<{ id: string }>('POST', '/api/v1/images', { name: `${prefix}-${kind}`, kind, source: { path: join(GUEST_OUT, file) } });
        ids.push(String(((await env.waitOperation(op)).result as Record<string, unknown>).imageId));
      }
      return { kernelImage: ids[0], initrdImage: ids[1] };
    },
    async serialLog(vmId) {
      return (await api<{ text: string }>('GET', `/api/v1/vms/${vmId}/serial-log?maxBytes=1048576`)).text;
    },
    waitVm(id, check, what, timeoutMs) {
      return waitFor(async () => {
        const vm = await api<Record<string, unknown>>('GET', `/api/v1/vms/${id}`);
        return check(vm) ? vm : undefined;
      }, `VM ${id}: ${what}`, timeoutMs);
    },
    async close() {
      ws.close();
      await env.stopAgent().catch(() => undefined);
      for (const pid of pids) killIfAlive(pid);
      for (const pid of pids) await waitForExit(pid, 5000);
      await srv.close();
      await rm(agentStateDir, { recursive: true, force: true });
    },
  };
  let started = false;
  return env;
}

/** A system environment for tests that boot guests: QEMU required (fails, never skips), the tiny guest built, the agent joined. */
export async function startQemuSystemEnv(): Promise<SystemEnv> {
  requireQemu();
  await ensureTestGuest();
  const env = await startSystemEnv();
  await env.startAgent();
  return env;
}
