import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QEMU_BINARY, requireQemu } from '../testing/qemu-test-env.ts';
import { QmpClient } from './qmp-client.ts';
import * as qmpCommands from './qmp-commands.ts';
import { QmpError } from './qmp-errors.ts';

requireQemu();

describe('QmpClient against a real QEMU (paused, no guest)', { timeout: 60_000 }, () => {
  let dir: string;
  let qemu: ChildProcess | undefined;
  let qmp: QmpClient;
  let stderr = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-qmp-it-'));
    const socket = join(dir, 'qmp.sock');
    qemu = spawn(QEMU_BINARY, [
      '-qmp', `unix:${socket},server=on,wait=off`,
      '-S', '-nodefaults', '-display', 'none',
      '-accel', 'tcg,tb-size=32', '-m', '64',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    qemu.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    qmp = await QmpClient.connect(socket, { connectTimeoutMs: 10_000, defaultTimeoutMs: 10_000 });
  });

  after(async () => {
    await qmp?.close();
    if (qemu && qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('reports version, TCG and a prelaunch run state', async () => {
    const version = await qmpCommands.queryVersion(qmp);
    assert.deepEqual(version.qemu, qmp.greeting.QMP.version.qemu);
    assert.equal((await qmpCommands.queryKvm(qmp)).enabled, false); // 'present' only means KVM support is compiled in
    const status = await qmpCommands.queryStatus(qmp);
    assert.equal(status.status, 'prelaunch');
    assert.equal(status.running, false);
    assert.equal((await qmpCommands.queryCpusFast(qmp)).length, 1);
    assert.deepEqual(await qmpCommands.queryBlock(qmp), []);
    assert.ok((await qmpCommands.queryChardev(qmp)).length >= 1);
    assert.match(await qmpCommands.humanMonitorCommand(qmp, 'info version'), /^\d+\.\d+\.\d+/);
  });

  it('cont and stop produce RESUME and STOP and change the run state', async () => {
    const resumed = qmp.waitForEvent('RESUME', undefined, 5000);
    await qmpCommands.cont(qmp);
    await resumed;
    assert.equal((await qmpCommands.queryStatus(qmp)).status, 'running');

    const { event } = await qmp.executeAndWaitForEvent('stop', undefined, 'STOP');
    assert.equal(event.event, 'STOP');
    assert.ok(event.timestamp.seconds > 0);
    const status = await qmpCommands.queryStatus(qmp);
    assert.equal(status.status, 'paused');
    assert.equal(status.running, false);
  });

  it('maps QEMU errors to QmpError and adds/removes a block node', async () => {
    const error = await qmpCommands.deviceDel(qmp, 'nope').catch((e: unknown) => e);
    assert.ok(error instanceof QmpError, String(error));
    assert.equal(error.errorClass, 'DeviceNotFound');
    await qmpCommands.blockdevAdd(qmp, { driver: 'null-co', 'node-name': 'scratch0', size: 1 << 20 });
    const stats = await qmpCommands.queryBlockstats(qmp, true);
    assert.ok(stats.some((s) => s['node-name'] === 'scratch0'));
    await qmpCommands.blockdevDel(qmp, 'scratch0');
    await assert.rejects(qmpCommands.blockdevDel(qmp, 'scratch0'), QmpError);
  });

  it('quit emits SHUTDOWN (host-qmp-quit), closes the connection and ends QEMU', async () => {
    const exited = once(qemu as ChildProcess, 'exit');
    const shutdown = qmp.waitForEvent('SHUTDOWN', (e) => e.data.reason === 'host-qmp-quit', 5000);
    await qmpCommands.quit(qmp);
    assert.equal((await shutdown).data.guest, false);
    await qmp.closed;
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, stderr);
  });
});
