import type { PoolSpec, VmSpec } from '@novacron/api';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConsoleSessions } from '../console/console-sessions';
import { createHypervisorDriver } from '../drivers/hypervisor/registry';
import type { QemuDriver } from '../drivers/hypervisor/qemu/qemu.driver';
import { ensureTestGuest, killIfAlive, requireQemu, waitForExit } from '../drivers/hypervisor/qemu/testing/qemu-test-env';
import { NetworkRegistry } from '../drivers/network/registry';
import { StorageRegistry } from '../drivers/storage/registry';
import { ImageStore } from '../images/image-store';
import { silentLogger } from '../lib/logger';
import type { CommandContext, CommandHandlers } from '../link/command-dispatcher';
import { ConsoleStreams } from '../link/console-streams';
import { Reconciler } from '../reconciler/reconciler';
import { FileVmRecordStore } from '../reconciler/vm-record';
import { vmExtensionCommandHandlers } from './vm-extension.commands';

requireQemu();

// The extension commands wired to the real QEMU driver and reconciler (what startAgent builds), called as the command
// dispatcher calls them, on the tiny guest; asserted on what the guest prints through the console stream.
describe('VM extension commands on the real QEMU driver and reconciler', { timeout: 900_000 }, () => {
  let dir: string;
  let driver: QemuDriver;
  let reconciler: Reconciler;
  let handlers: CommandHandlers;
  let sessions: ConsoleSessions;
  const inputRoutes = new ConsoleStreams();
  const sent: Array<{ type: string; streamId: string; data?: string; reason?: string }> = [];
  const vmId = 'vmext1';
  let pool: PoolSpec;
  let spec: VmSpec;
  let pid: number | undefined;
  const ctx: CommandContext = { commandId: 'c', signal: new AbortController().signal, progress: () => undefined };
  const run = async (kind: keyof CommandHandlers, args: unknown) => (handlers[kind] as (a: unknown, c: CommandContext) => Promise<Record<string, unknown>>)(args, ctx);
  const output = (streamId: string) => Buffer.concat(sent.filter((m) => m.streamId === streamId && m.type === 'console.data').map((m) => Buffer.from(m.data!, 'base64'))).toString('latin1');
  const waitOutput = async (streamId: string, pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = output(streamId).slice(from).match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`${pattern} not seen on ${streamId}; tail ${JSON.stringify(output(streamId).slice(-500))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const type = (streamId: string, line: string) => inputRoutes.deliver({ type: 'console.data', streamId, data: Buffer.from(`${line}\n`).toString('base64') });
  let nonce = 0;
  /** Runs a shell command in the guest through console stream `s1`; the split marker keeps the echo of the typed line from matching. */
  const shell = async (command: string): Promise<string> => {
    const id = `${++nonce}x${Date.now().toString(36)}`;
    type('s1', `echo "OUT-${id.slice(0, 1)}""${id.slice(1)}:$(${command}):END"`);
    return (await waitOutput('s1', new RegExp(`OUT-${id}:(.*):END`), 0, 60_000))[1];
  };

  before(async () => {
    const guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-vmext-'));
    const images = new ImageStore(join(dir, 'images'));
    await images.cleanStaging();
    for (const [imageId, kind, file] of [['kern', 'kernel', guest.kernel], ['init', 'initrd', guest.initrd]] as const) {
      const staging = await images.staging();
      await copyFile(file, join(staging, 'data'));
      await images.commit(staging, { imageId, kind, format: kind, sizeBytes: 0, virtualSizeBytes: 0, sha256: '0'.repeat(64), importedAt: new Date().toISOString() });
    }
    const storage = new StorageRegistry();
    pool = { id: 'p1', name: 'p1', driver: 'dir', path: join(dir, 'pool') };
    for (const [volumeId, size] of [['root', 16], ['hot', 24]] as const) {
      await storage.forPool(pool).create(pool, { volumeId, format: 'qcow2', sizeBytes: size * 1024 * 1024 });
    }
    const networks = new NetworkRegistry();
    driver = createHypervisorDriver('qemu', { vmsDir: join(dir, 'vms'), images, storage, networks, accel: 'tcg', logger: silentLogger }) as QemuDriver;
    reconciler = new Reconciler({ driver, records: new FileVmRecordStore(join(dir, 'vms')), logger: silentLogger, report: { status: () => undefined, event: () => undefined } });
    ({ handlers, consoles: sessions } = vmExtensionCommandHandlers({
      driver, reconciler, images, storage, networks, consoles: inputRoutes,
      send: (msg) => (sent.push(msg as (typeof sent)[number]), true),
    }));
    await reconciler.start();
    spec = {
      id: vmId, name: vmId, revision: 1, vcpus: 1, memoryMiB: 128, machine: 'pc', restartPolicy: 'no', powerState: 'running', shutdownTimeoutSeconds: 0,
      boot: { kernel: 'kern', initrd: 'init', cmdline: 'console=ttyS0 quiet', order: ['disk', 'cdrom'] },
      disks: [{ id: 'root', source: { type: 'volume', pool: 'p1', volume: 'root' }, format: 'qcow2', media: 'disk', bus: 'virtio', readonly: false }],
      networks: [{ id: 'n0', mac: '52:54:00:4e:43:50', model: 'virtio-net-pci', network: 'default', driver: 'user', options: {}, portForwards: [] }],
    };
    reconciler.setDesired({ vms: [spec], pools: [pool] });
    const deadline = Date.now() + 120_000;
    while (!driver.instance(vmId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    pid = driver.instance(vmId)?.pid;
    assert.ok(pid, 'the reconciler started the VM');
  });

  after(async () => {
    await sessions?.closeAll();
    await reconciler?.stop();
    await driver?.close();
    killIfAlive(pid);
    if (pid) await waitForExit(pid, 10_000);
    await rm(dir, { recursive: true, force: true });
  });

  it('console.open serial: the hub opened at start replays the boot; keystrokes routed through ConsoleStreams reach the guest', async () => {
    await run('console.open', { streamId: 's1', vmId, type: 'serial' });
    await waitOutput('s1', /NOVACRON-GUEST-READY ip=10\.0\.2\.15/, 0, 180_000);
    assert.match(output('s1'), /NOVACRON-GUEST-BOOT/, 'boot output from before console.open was replayed');
    assert.match(await shell('echo hello-$RANDOM'), /^hello-\d+$/);
    await run('console.open', { streamId: 'v1', vmId, type: 'vnc' });
    await waitOutput('v1', /^RFB 003\.008\n/);
    await run('console.close', { streamId: 'v1' });
    assert.deepEqual(inputRoutes.ids(), ['s1']);
    assert.ok(sent.some((m) => m.type === 'console.closed' && m.streamId === 'v1'));
  });

  it('vm.snapshot.create (RAM) / revert / delete bring guest memory back', async () => {
    await shell('echo A > /tmp/x');
    const created = await run('vm.snapshot.create', { vmId, snapshotId: 'snap1', includeRam: true });
    assert.equal(created.includesRam, true);
    assert.ok(Number(created.sizeBytes) > 1_000_000, 'the VM state holds guest memory');
    assert.equal(await shell('echo B > /tmp/x; cat /tmp/x'), 'B');
    assert.deepEqual(await run('vm.snapshot.revert', { vmId, snapshotId: 'snap1' }), { state: 'running' });
    assert.equal(await shell('cat /tmp/x'), 'A');
    await run('vm.snapshot.delete', { vmId, snapshotId: 'snap1' });
    await assert.rejects(run('vm.snapshot.revert', { vmId, snapshotId: 'snap1' }), { code: 'NOT_FOUND' });
  });

  it('vm.disk.attach / detach of a pool volume and vm.nic.attach / detach are seen by the guest', async () => {
    const from = output('s1').length;
    await run('vm.disk.attach', { vmId, disk: { id: 'hot', source: { type: 'volume', pool: 'p1', volume: 'hot' }, format: 'qcow2', media: 'disk', bus: 'virtio', readonly: false } });
    await waitOutput('s1', /NOVACRON-DISKS vda vdb\r?\n/, from);
    assert.equal(await shell('cat /sys/block/vdb/size'), String((24 * 1024 * 1024) / 512));
    const afterAttach = output('s1').length;
    await run('vm.disk.detach', { vmId, diskId: 'hot' });
    await waitOutput('s1', /NOVACRON-DISKS vda\r?\n/, afterAttach);

    await run('vm.nic.attach', { vmId, nic: { id: 'n1', mac: '52:54:00:4e:43:51', model: 'virtio-net-pci', network: 'default', driver: 'user', options: {}, portForwards: [] } });
    let mac = '';
    for (let i = 0; i < 20 && mac !== '52:54:00:4e:43:51'; i++) mac = await shell('sleep 0.5; cat /sys/class/net/eth1/address 2>/dev/null');
    assert.equal(mac, '52:54:00:4e:43:51');
    await run('vm.nic.detach', { vmId, nicId: 'n1' });
    assert.equal(await shell('ls /sys/class/net | tr "\\n" " "'), 'eth0 lo ');
  });

  it('vm.resize: what QEMU cannot do live on this VM is refused with UNSUPPORTED and changes nothing', async () => {
    await assert.rejects(run('vm.resize', { vmId, vcpus: 2, memoryMiB: 128 }), { code: 'UNSUPPORTED' }, 'no maxcpus on the command line');
    await assert.rejects(run('vm.resize', { vmId, vcpus: 1, memoryMiB: 512 }), { code: 'UNSUPPORTED' }, 'no DIMM slots');
    await run('vm.resize', { vmId, vcpus: 1, memoryMiB: 128 }); // no change
  });

  it('when the VM stops, its console streams end; a stopped VM snapshots its disks with qemu-img', async () => {
    reconciler.setDesired({ vms: [{ ...spec, revision: 2, powerState: 'stopped' }], pools: [pool] });
    await waitForExit(pid!, 30_000);
    const deadline = Date.now() + 15_000;
    while (!sent.some((m) => m.type === 'console.closed' && m.streamId === 's1') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(sent.some((m) => m.type === 'console.closed' && m.streamId === 's1'), 'console.closed for s1');
    assert.deepEqual(inputRoutes.ids(), []);
    assert.deepEqual(await run('vm.snapshot.create', { vmId, snapshotId: 'cold1', includeRam: true }), { includesRam: false });
    await run('vm.snapshot.revert', { vmId, snapshotId: 'cold1' });
    await run('vm.snapshot.delete', { vmId, snapshotId: 'cold1' });
    const log = (await sessions.readSerialLog(vmId, 1 << 20)).data.toString('latin1');
    assert.match(log, /NOVACRON-GUEST-READY[\s\S]*hello-\d+/, 'the serial ring log kept the session');
  });
});
