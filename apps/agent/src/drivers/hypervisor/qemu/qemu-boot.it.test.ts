import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildQemuArgs } from './qemu-command.ts';
import type { QemuVmSpec } from './qemu-vm-spec.ts';
import { QmpClient } from './qmp/qmp-client.ts';
import * as qmpCommands from './qmp/qmp-commands.ts';
import { QEMU_BINARY, ensureTestGuest, freePort, killIfAlive, requireQemu, readPidfile, waitForExit, type TestGuest } from './testing/qemu-test-env.ts';
import { SerialConsoleReader } from './testing/serial-console-reader.ts';

requireQemu();

const execFileAsync = promisify(execFile);
const READY_TIMEOUT_MS = 120_000; // TCG boot is ~4 s idle; leave room for a loaded CI box

/** Runs QEMU with -daemonize and resolves with the daemon's pid once the launcher has exited. */
async function startDaemonized(args: string[], pidfile: string): Promise<number> {
  const launcher = spawn(QEMU_BINARY, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  launcher.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    launcher.once('error', reject);
    launcher.once('exit', (exitCode) => resolve(exitCode));
  });
  assert.equal(code, 0, `qemu -daemonize failed: ${stderr}`);
  const pid = await readPidfile(pidfile);
  assert.ok(pid, `no pid in ${pidfile}`);
  return pid;
}

describe('QEMU boots the tiny guest from buildQemuArgs', { timeout: 300_000 }, () => {
  let guest: TestGuest;
  let dir: string;
  const pids: number[] = [];
  const closers: Array<() => unknown> = [];

  before(async () => {
    guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-boot-'));
  });

  after(async () => {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
    for (const pid of pids) killIfAlive(pid);
    for (const pid of pids) await waitForExit(pid, 5000);
    await rm(dir, { recursive: true, force: true });
  });

  function baseSpec(name: string): QemuVmSpec & { serial: { socketPath: string; logPath: string } } {
    const vmDir = join(dir, name);
    return {
      name,
      uuid: randomUUID(),
      vcpus: 1,
      memoryMiB: 128,
      accel: 'tcg',
      qmpSocketPath: `${vmDir}-qmp.sock`,
      serial: { socketPath: `${vmDir}-serial.sock`, logPath: `${vmDir}-serial.log` },
      pidfile: `${vmDir}.pid`,
      daemonize: true,
    };
  }

  it('direct kernel boot: ready marker, HTTP via hostfwd, ACPI powerdown ends QEMU', async (t) => {
    const port = await freePort();
    const marker = `m${Date.now().toString(36)}`;
    const iso = join(dir, 'empty.iso');
    await writeFile(iso, Buffer.alloc(64 * 2048));
    const spec: QemuVmSpec = {
      ...baseSpec('direct'),
      kernel: { path: guest.kernel, initrdPath: guest.initrd, cmdline: `console=ttyS0 quiet novacron.marker=${marker} novacron.hostname=nc-direct` },
      nics: [{ id: 'nic0', mac: '52:54:00:4e:43:01', netdev: { type: 'user', hostForwards: [{ protocol: 'tcp', hostPort: port, guestPort: 80 }] } }],
      // Not needed by the guest; here to prove QEMU accepts every option buildQemuArgs writes.
      cdrom: { path: iso },
      cloudInitSeed: { path: iso },
      vnc: { socketPath: join(dir, 'direct-vnc.sock') },
      guestAgentSocketPath: join(dir, 'direct-qga.sock'),
    };
    const started = Date.now();
    const pid = await startDaemonized(buildQemuArgs(spec), spec.pidfile as string);
    pids.push(pid);
    const serial = await SerialConsoleReader.connect(spec.serial?.socketPath as string);
    closers.push(() => serial.close());

    await serial.waitFor(/NOVACRON-GUEST-BOOT/, READY_TIMEOUT_MS);
    assert.equal((await serial.waitFor(/NOVACRON-MARKER (\S+)/, 10_000))[1], marker);
    const ready = await serial.waitFor(/NOVACRON-GUEST-READY ip=(\S+)/, READY_TIMEOUT_MS);
    t.diagnostic(`spawn to NOVACRON-GUEST-READY: ${Date.now() - started} ms (ip ${ready[1]})`);
    assert.equal(ready[1], '10.0.2.15');

    serial.writeLine('echo NOVACRON-ECHO-$((6 * 7))');
    await serial.waitFor(/NOVACRON-ECHO-42/, 10_000); // the serial shell reads input

    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.match(page, new RegExp(`hostname=nc-direct marker=${marker}`));

    const qmp = await QmpClient.connect(spec.qmpSocketPath);
    closers.push(() => qmp.close());
    assert.equal((await qmpCommands.queryStatus(qmp)).status, 'running');
    const chardevs = (await qmpCommands.queryChardev(qmp)).map((c) => c.label);
    for (const label of ['qmp0', 'serial0', 'qga0']) assert.ok(chardevs.includes(label), `${label} in ${chardevs.join(',')}`);

    const shutdown = qmp.waitForEvent('SHUTDOWN', (e) => e.data.reason === 'guest-shutdown', 30_000);
    const powerdownAt = Date.now();
    await qmpCommands.systemPowerdown(qmp);
    await serial.waitFor(/NOVACRON-GUEST-ACPI-POWEROFF/, 30_000);
    t.diagnostic(`system_powerdown to ACPI marker: ${Date.now() - powerdownAt} ms`);
    assert.equal((await shutdown).data.guest, true);
    assert.ok(await waitForExit(pid, 30_000), 'QEMU exited after the guest powered off');
    t.diagnostic(`system_powerdown to QEMU exit: ${Date.now() - powerdownAt} ms`);
    await qmp.closed;
    assert.match(await readFile(spec.serial?.logPath as string, 'utf8'), /NOVACRON-GUEST-READY/, 'serial log file');
  });

  it('disk boot from a qcow2 overlay: second disk visible, hot-plug and unplug seen by the guest', async (t) => {
    const overlay = join(dir, 'root-overlay.qcow2');
    const data = join(dir, 'data.img');
    const hot = join(dir, 'hot.img');
    await execFileAsync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', guest.disk, overlay]);
    await execFileAsync('qemu-img', ['create', '-q', '-f', 'raw', data, '32M']);
    await execFileAsync('qemu-img', ['create', '-q', '-f', 'raw', hot, '16M']);
    const spec: QemuVmSpec = {
      ...baseSpec('disk'),
      disks: [
        { id: 'root', path: overlay, format: 'qcow2', bus: 'virtio' },
        { id: 'data', path: data, format: 'raw', bus: 'virtio', readonly: true },
      ],
      nics: [{ id: 'nic0', mac: '52:54:00:4e:43:02', netdev: { type: 'user' } }],
      bootOrder: ['disk'],
    };
    const started = Date.now();
    const pid = await startDaemonized(buildQemuArgs(spec), spec.pidfile as string);
    pids.push(pid);
    const serial = await SerialConsoleReader.connect(spec.serial?.socketPath as string);
    closers.push(() => serial.close());

    await serial.waitFor(/NOVACRON-DISK vdb size=33554432/, READY_TIMEOUT_MS);
    await serial.waitFor(/NOVACRON-GUEST-READY ip=10\.0\.2\.15/, READY_TIMEOUT_MS);
    t.diagnostic(`disk boot, spawn to NOVACRON-GUEST-READY: ${Date.now() - started} ms`);

    const qmp = await QmpClient.connect(spec.qmpSocketPath);
    closers.push(() => qmp.close());
    const block = await qmpCommands.queryBlock(qmp);
    assert.deepEqual(block.map((b) => [b.qdev?.split('/').at(-2) ?? b.qdev, b.inserted?.ro]), [['root', false], ['data', true]]);

    await qmpCommands.blockdevAdd(qmp, { driver: 'raw', 'node-name': 'drive-hot0', file: { driver: 'file', filename: hot } });
    await qmpCommands.deviceAdd(qmp, { driver: 'virtio-blk-pci', id: 'hot0', drive: 'drive-hot0' });
    await serial.waitFor(/NOVACRON-DISKS vda vdb vdc/, 30_000);

    const deleted = qmp.waitForEvent('DEVICE_DELETED', (e) => e.data.device === 'hot0', 30_000);
    await qmpCommands.deviceDel(qmp, 'hot0');
    await deleted;
    await qmpCommands.blockdevDel(qmp, 'drive-hot0');
    await serial.waitFor(/NOVACRON-DISKS vda vdb\r?\n/, 30_000);

    await qmpCommands.quit(qmp);
    assert.ok(await waitForExit(pid, 15_000), 'QEMU exited after quit');
  });
});
