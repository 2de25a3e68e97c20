// `npm run bench:vm [-- --runs 3 --events 20 --verbose-kernel]`: what NovaCron adds to a VM boot and to an event.
//
// Set-up as in production: the control plane is its own process (bench/lib/server-process.ts), a node agent joins it
// with a join token over the agent WebSocket (in this process, as a remote node's agent would run), the tiny test guest
// (tests/guest/, direct kernel boot, TCG, 128 MiB) boots from images imported through the API. Per run, one guest at
// a time:
//  (b) through NovaCron: POST /api/v1/vms {start:true} → NOVACRON-GUEST-BOOT in the VM's serial log;
//  (a) by hand: the exact QEMU argv the agent used (its qemu-argv.json, without -S) → the same marker;
// both timed from just before the request / the spawn, polling the serial log file every 5 ms. Then, on the running
// VM: QEMU's STOP/RESUME event (its own timestamp) → `vm.paused`/`vm.resumed` on the /api/v1/events WebSocket, for
// pauses asked through the API, and what an out-of-band QMP `stop` leads to. A figure, not a test: on a shared 2-core
// box, read medians and ranges.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startAgent, type RunningAgent } from '../apps/agent/src/agent';
import type { QemuDriver } from '../apps/agent/src/drivers/hypervisor/qemu/qemu.driver';
import { cont, stop as qmpStop } from '../apps/agent/src/drivers/hypervisor/qemu/qmp/qmp-commands';
import type { QmpEvent } from '../apps/agent/src/drivers/hypervisor/qemu/qmp/qmp-types';
import { ensureTestGuest, killIfAlive, readPidfile, requireQemu, waitForExit } from '../apps/agent/src/drivers/hypervisor/qemu/testing/qemu-test-env';
import { silentLogger } from '../apps/agent/src/lib/logger';
import { startServerProcess } from './lib/server-process';

const { values: opt } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, events: { type: 'string', default: '20' }, 'verbose-kernel': { type: 'boolean', default: false } },
});
const runs = Number(opt.runs);
const eventSamples = Number(opt.events);
const cmdline = opt['verbose-kernel'] ? 'console=ttyS0' : 'console=ttyS0 quiet';
const MARKER = /NOVACRON-GUEST-BOOT/;
const READY = /NOVACRON-GUEST-READY/;

requireQemu();
const guest = await ensureTestGuest();
const guestOut = join(guest.kernel, '..');
const admin = { email: 'bench@example.com', password: `Bench-${Date.now()}-pass!` };
const server = await startServerProcess({
  env: { NOVACRON_EMBEDDED_AGENT: 'false', NOVACRON_IMPORT_DIRS: guestOut, NOVACRON_ADMIN_EMAIL: admin.email, NOVACRON_ADMIN_PASSWORD: admin.password },
});
const agentStateDir = await mkdtemp(join(tmpdir(), 'nc-bench-vm-agent-'));
const pids = new Set<number>();
let agent: RunningAgent | undefined;
let events: WebSocket | undefined;

const login = await (await fetch(`${server.url}/api/v1/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin),
})).json() as { accessToken: string };
const token = login.accessToken;

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

async function waitOperation(op: { id: string }): Promise<Record<string, unknown>> {
  const done = await api<Record<string, unknown>>('GET', `/api/v1/operations/${op.id}/wait?timeout=300`);
  if (done.status !== 'succeeded') throw new Error(`operation ${op.id} ended ${String(done.status)}: ${JSON.stringify(done.error)}`);
  return done;
}

/** Time from `since` until `pattern` shows in the file (polled every 5 ms, the same for both ways of starting). */
async function waitLog(path: string, pattern: RegExp, since: number, timeoutMs = 300_000): Promise<number> {
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (pattern.test(text)) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`${pattern} not seen in ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// ---------- the events WebSocket: every message with its arrival time ----------
const received: Array<{ at: number; wall: number; event: { type: string; [k: string]: unknown } }> = [];
const arrivals: Array<() => void> = [];
events = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
events.on('message', (raw) => {
  received.push({ at: performance.now(), wall: Date.now(), event: JSON.parse(String(raw)) as { type: string } });
  for (const wake of arrivals.splice(0)) wake();
});
await new Promise<void>((resolve, reject) => {
  events!.once('error', reject);
  events!.once('unexpected-response', (_req, res) => reject(new Error(`events socket: HTTP ${res.statusCode}`)));
  events!.once('open', () => resolve());
});

async function waitEvent(type: string, vmId: string, from: number, timeoutMs = 60_000): Promise<{ at: number; wall: number }> {
  const deadline = performance.now() + timeoutMs;
  for (let i = from; ; ) {
    for (; i < received.length; i++) {
      const r = received[i];
      if (r.event.type === type && JSON.stringify(r.event).includes(vmId)) return r;
    }
    if (performance.now() > deadline) throw new Error(`no ${type} for ${vmId} on /api/v1/events within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 100);
      arrivals.push(() => (clearTimeout(timer), resolve()));
    });
  }
}

// The QEMU driver logs how long each step of a start took ('QEMU started', ms: prepare, launch, attach).
const startStepLog: Array<{ prepare: number; launch: number; attach: number }> = [];
const startSteps = {
  ...silentLogger,
  info: (obj: object, msg: string) => {
    const ms = (obj as { ms?: { prepare: number; launch: number; attach: number } }).ms;
    if (msg === 'QEMU started' && ms) startStepLog.push(ms);
  },
};

try {
  const { token: joinToken } = await api<{ token: string }>('POST', '/api/v1/nodes/join-tokens', { description: 'bench:vm' });
  agent = await startAgent({ serverUrl: server.url, joinToken, stateDir: agentStateDir, logger: startSteps, hostname: 'bench-node' });
  const driver = agent.driver as QemuDriver;

  const images: Record<string, string> = {};
  for (const [name, kind, file] of [['bench-kernel', 'kernel', guest.kernel], ['bench-initrd', 'initrd', guest.initrd]] as const) {
    const done = await waitOperation(await api<{ id: string }>('POST', '/api/v1/images', { name, kind, source: { path: file } }));
    const result = done.result as Record<string, unknown> | undefined;
    images[kind] = String(result?.imageId ?? result?.id ?? (done.resources as string[] | undefined)?.[0]?.split('/').at(-1));
  }

  const viaNovaCron: number[] = [];
  const viaNovaCronReady: number[] = [];
  const toStartedEvent: number[] = [];
  const byHand: number[] = [];
  const byHandReady: number[] = [];
  const pauseFromRequest: number[] = [];
  const pauseFromQemu: number[] = [];
  const resumeFromRequest: number[] = [];
  const resumeFromQemu: number[] = [];
  const outOfBandPaused: number[] = [];
  const staleStates: string[] = [];
  // When the guest's vCPUs start: by hand, when QEMU finished initialising; through NovaCron, when the agent's `cont`
  // (QEMU runs with -S until the agent has attached QMP) returned, seen as the driver's `started` event. From there
  // on both boots run the same guest code, so this difference is NovaCron's share without the noise of a whole boot.
  const byHandVcpusRun: number[] = [];
  const viaNovaCronVcpusRun: number[] = [];
  let postAt = 0;
  driver.onEvent((e) => {
    if (e.type === 'started') viaNovaCronVcpusRun.push(performance.now() - postAt);
  });
  const outOfBandResumed: number[] = [];

  /** (a) The QEMU argv the agent used for a VM, by hand, in its own directory, started running (no -S). */
  async function runByHand(argvPath: string, vmDir: string): Promise<void> {
    const argv = (JSON.parse(await readFile(argvPath, 'utf8')) as string[]).filter((a) => a !== '-S');
    const handDir = await mkdtemp(join(tmpdir(), 'nc-bench-vm-hand-'));
    const args = argv.slice(1).map((a) => a.split(vmDir).join(handDir));
    const t0 = performance.now();
    const launcher = spawn(argv[0], args, { stdio: 'ignore' });
    await new Promise((r) => launcher.once('exit', r));
    // QEMU -daemonize: the launcher exits once QEMU is initialised, and the vCPUs run from then on.
    byHandVcpusRun.push(performance.now() - t0);
    byHand.push(await waitLog(join(handDir, 'serial.log'), MARKER, t0));
    byHandReady.push(await waitLog(join(handDir, 'serial.log'), READY, t0));
    const pid = await readPidfile(join(handDir, 'qemu.pid'));
    if (pid) pids.add(pid);
    killIfAlive(pid);
    if (pid) await waitForExit(pid, 10_000);
    await rm(handDir, { recursive: true, force: true });
  }

  let previous: { argv: string; dir: string } | undefined;
  for (let run = 0; run < runs; run++) {
    // Alternate which way boots first (the first run has no argv to copy yet), so neither always gets a warmer host.
    const handFirst = run % 2 === 1 && previous !== undefined;
    if (handFirst) await runByHand(previous!.argv, previous!.dir);
    // (b) through NovaCron
    const from = received.length;
    const t0 = performance.now();
    postAt = t0;
    const op = await api<{ id: string; resources: string[] }>('POST', '/api/v1/vms', {
      name: `bench-${run}`, vcpus: 1, memoryMiB: 128, boot: { kernelImage: images.kernel, initrdImage: images.initrd, cmdline },
      disks: [], networks: [{ network: 'default' }], start: true,
    });
    const vmId = op.resources[0].split('/').at(-1) as string;
    const paths = driver.paths(vmId);
    viaNovaCron.push(await waitLog(paths.serialLog, MARKER, t0));
    viaNovaCronReady.push(await waitLog(paths.serialLog, READY, t0));
    toStartedEvent.push((await waitEvent('vm.started', vmId, from)).at - t0);
    const instance = driver.instance(vmId);
    if (!instance) throw new Error(`the agent does not run ${vmId}`);
    pids.add(instance.pid);

    // QEMU state change → event on /api/v1/events. Pause/resume go through the API (an out-of-band QMP `stop` is undone
    // by the level-triggered reconciler before any status says paused: measured separately below). QEMU stamps its
    // STOP/RESUME events with the wall clock of this host, so "after QEMU emitted" is NovaCron's part alone.
    for (let i = 0; i < eventSamples; i++) {
      for (const [action, qmpEvent, apiEvent, fromRequest, fromQemu] of [
        ['pause', 'STOP', 'vm.paused', pauseFromRequest, pauseFromQemu],
        ['resume', 'RESUME', 'vm.resumed', resumeFromRequest, resumeFromQemu],
      ] as const) {
        // The API state must agree with QEMU before the next request. It sometimes does not for a while: a heartbeat
        // carrying statuses read before a newer vm.status reaches the server after it and sets the older state back.
        const expected = action === 'pause' ? 'running' : 'paused';
        for (let waited = 0, counted = false; ; waited += 50) {
          const apiState = (await api<{ state: string }>('GET', `/api/v1/vms/${vmId}`)).state;
          if (apiState === expected) break;
          if (!counted) {
            const qemuState = (await instance.qmp.execute<{ status: string }>('query-status')).status;
            staleStates.push(`API ${apiState} while QEMU ${qemuState}`);
            counted = true;
          }
          if (waited > 30_000) throw new Error(`the API state of ${vmId} stayed ${apiState}, expected ${expected}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const mark = received.length;
        let qemuAt = 0;
        const off = instance.qmp.onEvent((e: QmpEvent) => {
          if (e.event === qmpEvent) qemuAt = e.timestamp.seconds * 1000 + e.timestamp.microseconds / 1000;
        });
        const t1 = performance.now();
        const actionOp = await api<{ id: string }>('POST', `/api/v1/vms/${vmId}/${action}`).catch(async (error: Error) => {
          const seen = received.filter((r) => JSON.stringify(r.event).includes(vmId)).slice(-8).map((r) => `${r.event.type}@${r.at.toFixed(0)}`);
          const qemuSays = await instance.qmp.execute<{ status: string }>('query-status').then((st) => st.status, (e: Error) => e.message);
          const apiSays = await api<{ state: string }>('GET', `/api/v1/vms/${vmId}`).then((vm) => vm.state, (e: Error) => e.message);
          throw new Error(`${error.message}\n  last events of the VM: ${seen.join(', ')}\n  QEMU status: ${qemuSays}; API state: ${apiSays}`);
        });
        const got = await waitEvent(apiEvent, vmId, mark);
        off();
        fromRequest.push(got.at - t1);
        if (qemuAt) fromQemu.push(got.wall - qemuAt);
        await waitOperation(actionOp);
      }
    }
    // Out of band: QMP `stop` behind NovaCron's back. The reconciler sees STOP, finds the VM should run and resumes it.
    {
      const mark = received.length;
      let resumedAt = 0;
      const off = instance.qmp.onEvent((e: QmpEvent) => {
        if (e.event === 'RESUME') resumedAt = performance.now();
      });
      const t1 = performance.now();
      await qmpStop(instance.qmp);
      const paused = await waitEvent('vm.paused', vmId, mark, 3_000).catch(() => undefined);
      for (let waited = 0; !resumedAt && waited < 3_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      off();
      if (paused) outOfBandPaused.push(paused.at - t1);
      if (resumedAt) outOfBandResumed.push(resumedAt - t1);
      else await cont(instance.qmp);
    }

    const stopped = received.length;
    await waitOperation(await api<{ id: string }>('POST', `/api/v1/vms/${vmId}/stop`));
    await waitEvent('vm.stopped', vmId, stopped).catch(() => undefined);
    await waitForExit(instance.pid, 15_000);

    if (!handFirst) await runByHand(paths.argv, paths.dir);
    previous = { argv: join(agentStateDir, 'copies', `${run}.json`), dir: paths.dir };
    await mkdir(join(agentStateDir, 'copies'), { recursive: true });
    await copyFile(paths.argv, previous.argv);
    await waitOperation(await api<{ id: string }>('DELETE', `/api/v1/vms/${vmId}`)).catch(() => undefined);
    console.error(`run ${run + 1}/${runs}: NovaCron ${viaNovaCron.at(-1)!.toFixed(0)} ms, by hand ${byHand.at(-1)!.toFixed(0)} ms to ${MARKER.source}`);
  }

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
  const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  const list = (xs: number[]) => `median ${ms(med(xs))} (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  const dist = (xs: number[]) => `median ${ms(med(xs))}, p90 ${ms(pct(xs, 90))}, min ${ms(sorted(xs)[0])}, max ${ms(sorted(xs).at(-1)!)} (n=${xs.length})`;
  console.log(`bench:vm — tiny guest, TCG, 128 MiB, kernel cmdline "${cmdline}", ${runs} runs, load average ${loadavg()[0].toFixed(1)}`);
  console.log(`  (a) same QEMU argv by hand        → NOVACRON-GUEST-BOOT: ${list(byHand)}`);
  console.log(`  (b) POST /api/v1/vms start:true   → NOVACRON-GUEST-BOOT: ${list(viaNovaCron)}`);
  console.log(`      difference of the medians: ${ms(med(viaNovaCron) - med(byHand))} (whole boots: dominated by host load when the box is busy)`);
  console.log(`  (a) spawn → QEMU initialised (vCPUs run):          ${list(byHandVcpusRun)}`);
  console.log(`  (b) POST /api/v1/vms → agent's cont done (vCPUs run): ${list(viaNovaCronVcpusRun)}`);
  console.log(`      NovaCron's share of a boot (median b − median a, the guest code after that is the same): ${ms(med(viaNovaCronVcpusRun) - med(byHandVcpusRun))}   (goal < 150 ms)`);
  if (startStepLog.length === viaNovaCronVcpusRun.length) {
    const step = (k: 'prepare' | 'launch' | 'attach') => startStepLog.map((m) => m[k]);
    const before = viaNovaCronVcpusRun.map((total, i) => total - startStepLog[i].prepare - startStepLog[i].launch - startStepLog[i].attach);
    console.log(`      of (b): API + control plane + agent link + reconciler until the driver starts: ${list(before)}`);
    console.log(`              driver prepare (spec mapping, argv and launch record written, stale sockets removed): ${list(step('prepare'))}`);
    console.log(`              QEMU launch (-daemonize, as by hand): ${list(step('launch'))}; QMP attach + cont: ${list(step('attach'))}`);
  }
  console.log(`  (a) by hand → NOVACRON-GUEST-READY: ${list(byHandReady)};  (b) through NovaCron: ${list(viaNovaCronReady)}`);
  console.log(`  POST /api/v1/vms → vm.started on /api/v1/events: ${list(toStartedEvent)}`);
  console.log(`  QEMU STOP (QMP event timestamp) → vm.paused on /api/v1/events:     ${dist(pauseFromQemu)}   (goal < 20 ms)`);
  console.log(`  QEMU RESUME (QMP event timestamp) → vm.resumed on /api/v1/events:  ${dist(resumeFromQemu)}`);
  console.log(`  POST /vms/{id}/pause → vm.paused on /api/v1/events:   ${dist(pauseFromRequest)}`);
  console.log(`  POST /vms/{id}/resume → vm.resumed on /api/v1/events: ${dist(resumeFromRequest)}`);
  console.log(`  API state stale against QEMU before a pause/resume request: ${staleStates.length} of ${pauseFromRequest.length + resumeFromRequest.length}${staleStates.length ? ` (${[...new Set(staleStates)].join('; ')})` : ''}`);
  console.log(`  out-of-band QMP stop (desired: running): vm.paused within 3 s in ${outOfBandPaused.length}/${runs} runs${outOfBandPaused.length ? `, ${list(outOfBandPaused)}` : ''}; `
    + `the agent resumed the VM within 3 s in ${outOfBandResumed.length}/${runs} runs${outOfBandResumed.length ? `, ${list(outOfBandResumed)}` : ''}`);
} finally {
  events?.close();
  await agent?.stop().catch(() => undefined);
  for (const pid of pids) killIfAlive(pid);
  for (const pid of pids) await waitForExit(pid, 5000);
  await server.stop();
  await rm(agentStateDir, { recursive: true, force: true });
}
