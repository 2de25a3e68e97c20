// `node --import tsx bench/agent-boot.bench.ts [--runs 3] [--quiet-kernel]`: what the node agent adds to a boot.
//
// For the tiny guest (direct kernel boot, TCG, 128 MiB), alternately:
//  - by hand: QEMU started with the exact argv the agent used last (read from its qemu-argv.json, without -S), and
//  - through the agent: a `desired` push from a scripted control plane to the real agent (reconciler, QEMU driver),
// timing until the serial log shows NOVACRON-GUEST-READY (both polled the same way, every 5 ms). Also: desired push →
// `vm.status running` and a QEMU STOP (pause) → `vm.event paused` at the control plane.
// A figure, not a test: on a shared 2-core box, read medians and ranges.
import { VmSpec } from '@novacron/api';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAgent } from '../apps/agent/src/agent';
import type { QemuDriver } from '../apps/agent/src/drivers/hypervisor/qemu/qemu.driver';
import { stop as qmpStop } from '../apps/agent/src/drivers/hypervisor/qemu/qmp/qmp-commands';
import { ensureTestGuest, killIfAlive, readPidfile, waitForExit } from '../apps/agent/src/drivers/hypervisor/qemu/testing/qemu-test-env';
import { jsonLogger, silentLogger } from '../apps/agent/src/lib/logger';
import { TestControlPlane } from '../apps/agent/src/testing/test-control-plane';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'quiet-kernel': { type: 'boolean', default: false } } });
const runs = Number(opt.runs);
const cmdline = opt['quiet-kernel'] ? 'console=ttyS0 quiet' : 'console=ttyS0';
const guest = await ensureTestGuest();
const cp = await TestControlPlane.start();
const stateDir = await mkdtemp(join(tmpdir(), 'nc-bench-agent-'));
const logger = process.env.BENCH_LOG ? jsonLogger('info') : silentLogger;
const agent = await startAgent({ serverUrl: cp.url, joinToken: cp.joinToken, stateDir, logger });
const importDirs = [dirname(guest.kernel)];
for (const [imageId, kind, path] of [['k', 'kernel', guest.kernel], ['i', 'initrd', guest.initrd]] as const) {
  const r = await cp.command('image.import', { imageId, kind, source: { type: 'path', path }, importDirs, maxBytes: 1 << 30 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
}
const spec = (id: string, revision: number, powerState: 'running' | 'paused' | 'stopped') => VmSpec.parse({
  id, name: id, revision, vcpus: 1, memoryMiB: 128, restartPolicy: 'no', powerState, boot: { kernel: 'k', initrd: 'i', cmdline },
  disks: [], networks: [{ id: 'n0', mac: '52:54:00:be:00:01', network: 'default', driver: 'user' }],
});

async function waitLog(path: string, pattern: RegExp, since: number, timeoutMs = 300_000): Promise<number> {
  for (;;) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (pattern.test(text)) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`${pattern} not seen in ${path}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const viaAgent: number[] = [];
const toRunning: number[] = [];
const byHand: number[] = [];
const eventLatency: number[] = [];
for (let run = 0; run < runs; run++) {
  const id = `b${run}`;
  const vmDir = join(stateDir, 'vms', id);
  let t0 = performance.now();
  cp.pushDesired([spec(id, 1, 'running')]);
  await cp.waitStatus(id, (s) => s.state === 'running', 'running', 300_000);
  toRunning.push(performance.now() - t0);
  viaAgent.push(await waitLog(join(vmDir, 'serial.log'), /NOVACRON-GUEST-READY/, t0));

  const instance = (agent.driver as QemuDriver).instance(id);
  const from = cp.events.length;
  const t1 = performance.now();
  await qmpStop(instance!.qmp);
  await cp.waitEvent(id, 'paused', from);
  eventLatency.push(performance.now() - t1);
  cp.pushDesired([spec(id, 2, 'stopped')]);
  await cp.waitStatus(id, (s) => s.state === 'stopped', 'stopped', 60_000);

  // The same QEMU command line by hand, in its own directory.
  const argv = (JSON.parse(await readFile(join(vmDir, 'qemu-argv.json'), 'utf8')) as string[]).filter((a) => a !== '-S');
  const handDir = await mkdtemp(join(tmpdir(), 'nc-bench-hand-'));
  const args = argv.slice(1).map((a) => a.split(vmDir).join(handDir));
  t0 = performance.now();
  const launcher = spawn(argv[0], args, { stdio: 'ignore' });
  await new Promise((r) => launcher.once('exit', r));
  byHand.push(await waitLog(join(handDir, 'serial.log'), /NOVACRON-GUEST-READY/, t0));
  const pid = await readPidfile(join(handDir, 'qemu.pid'));
  killIfAlive(pid);
  if (pid) await waitForExit(pid, 5000);
  await rm(handDir, { recursive: true, force: true });
  await cp.command('vm.purge', { vmId: id });
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${med(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
console.log(`tiny guest, TCG, kernel cmdline "${cmdline}", ${runs} runs, load ${loadavg()[0].toFixed(1)}`);
console.log(`  by hand (same argv)         → READY: ${fmt(byHand)}`);
console.log(`  desired push via agent      → READY: ${fmt(viaAgent)}`);
console.log(`  desired push → vm.status running:    ${fmt(toRunning)}`);
console.log(`  agent overhead on boot (median diff): ${(med(viaAgent) - med(byHand)).toFixed(0)} ms`);
console.log(`  QMP STOP → vm.event paused at the control plane: ${fmt(eventLatency)}`);
await agent.stop();
await cp.close();
await rm(stateDir, { recursive: true, force: true });
