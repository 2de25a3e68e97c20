import { VmSpec, type VmStatus } from '@novacron/api';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm, stat, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAgent, type RunningAgent } from './agent';
import type { QemuDriver } from './drivers/hypervisor/qemu/qemu.driver';
import { queryStatus } from './drivers/hypervisor/qemu/qmp/qmp-commands.ts';
import { ensureTestGuest, killIfAlive, requireQemu, waitForExit, type TestGuest } from './drivers/hypervisor/qemu/testing/qemu-test-env.ts';
import { silentLogger } from './lib/logger';
import { TestControlPlane } from './testing/test-control-plane';

// The real agent (link, reconciler, QEMU driver, image import) against a scripted control plane and real QEMU guests.
describe('node agent with real QEMU', { timeout: 600_000 }, () => {
  let cp: TestControlPlane;
  let guest: TestGuest;
  let stateDir: string;
  let agent: RunningAgent | undefined;
  const pids = new Set<number>();

  before(async () => {
    requireQemu();
    guest = await ensureTestGuest();
    cp = await TestControlPlane.start();
    stateDir = await mkdtemp(join(tmpdir(), 'nc-agent-'));
  });

  after(async () => {
    for (const s of cp.statuses.values()) if (s.pid) pids.add(s.pid);
    await agent?.stop().catch(() => undefined);
    for (const pid of pids) killIfAlive(pid);
    for (const pid of pids) await waitForExit(pid, 5000);
    await cp.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  const pool = () => ({ id: 'default', name: 'default', driver: 'dir' as const, path: join(stateDir, 'pools', 'default') });
  const vm = (over: Partial<VmSpec>): VmSpec => VmSpec.parse({
    id: 'vm1', name: 't1', revision: 1, vcpus: 1, memoryMiB: 128, restartPolicy: 'no', powerState: 'running',
    boot: { kernel: 'kern1', initrd: 'init1', cmdline: 'console=ttyS0' }, disks: [],
    networks: [{ id: 'nic0', mac: '52:54:00:aa:00:01', network: 'default', driver: 'user' }],
    shutdownTimeoutSeconds: 60, ...over,
  });
  const serial = async (vmId = 'vm1'): Promise<string> => {
    const r = await cp.command('vm.serial.read', { vmId, maxBytes: 1024 * 1024 });
    assert.ok(r.ok, JSON.stringify(r.error));
    return Buffer.from(String(r.result?.data), 'base64').toString('utf8');
  };
  const waitSerial = (pattern: RegExp, what: string, timeoutMs = 120_000) =>
    cp.waitFor(() => lastSerial.match(pattern) ?? (void refreshSerial(), undefined), what, timeoutMs);
  let lastSerial = '';
  let reading = false;
  const refreshSerial = async () => {
    if (reading) return;
    reading = true;
    lastSerial = await serial().finally(() => (reading = false));
  };
  const running = (s: VmStatus) => s.state === 'running';

  it('joins with the join token, stores the credential 0600, reports probed inventory', async () => {
    agent = await startAgent({ serverUrl: cp.url, joinToken: cp.joinToken, stateDir, logger: silentLogger });
    assert.equal(agent.nodeId, cp.nodeId);
    const file = join(stateDir, 'node-credential');
    assert.equal((await readFile(file, 'utf8')).trim(), cp.credential);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const hello = cp.hellos[0];
    assert.equal(hello.joinToken, cp.joinToken);
    assert.match(hello.inventory.qemuVersion, /^\d+\.\d+/);
    assert.ok(hello.inventory.cpus >= 1 && hello.inventory.memoryMiB > 0);
    assert.equal(hello.inventory.accel, hello.inventory.kvm ? 'kvm' : 'tcg');
    await cp.waitFor(() => cp.received.some((m) => m.type === 'heartbeat'), 'a heartbeat');
  });

  it('imports the kernel and initrd by path with their sha256, refusing paths outside the import dirs', async () => {
    const importDirs = [dirname(guest.kernel)];
    for (const [imageId, kind, path] of [['kern1', 'kernel', guest.kernel], ['init1', 'initrd', guest.initrd]] as const) {
      const r = await cp.command('image.import', { imageId, kind, source: { type: 'path', path }, importDirs, maxBytes: 1 << 30 });
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.equal(r.result?.sha256, createHash('sha256').update(await readFile(path)).digest('hex'));
      assert.equal(r.result?.format, kind);
    }
    const outside = await cp.command('image.import', { imageId: 'bad1', kind: 'initrd', source: { type: 'path', path: `${importDirs[0]}/../init.sh` }, importDirs, maxBytes: 1 << 30 });
    assert.equal(outside.error?.code, 'FORBIDDEN_PATH');
  });

  it('boots the guest: serial marker and DHCP address 10.0.2.15', async (t) => {
    const started = Date.now();
    cp.pushDesired([vm({})], [pool()]);
    const status = await cp.waitStatus('vm1', running, 'running');
    t.diagnostic(`desired → running: ${Date.now() - started} ms (pid ${status.pid}, accel ${status.accel})`);
    pids.add(status.pid as number);
    assert.equal(status.observedRevision, 1);
    await waitSerial(/NOVACRON-GUEST-BOOT/, 'boot marker');
    t.diagnostic(`desired → NOVACRON-GUEST-BOOT: ${Date.now() - started} ms`);
    const ready = await waitSerial(/NOVACRON-GUEST-READY ip=(\S+)/, 'ready marker');
    t.diagnostic(`desired → NOVACRON-GUEST-READY: ${Date.now() - started} ms`);
    assert.equal(ready[1], '10.0.2.15');
    assert.ok(cp.events.some((e) => e.vmId === 'vm1' && e.event === 'started'));
    assert.equal((await cp.command('image.delete', { imageId: 'kern1' })).error?.code, 'IN_USE', 'an image a desired VM boots from stays');
  });

  it('opens a serial console stream through the agent: the guest shell answers typed input', async () => {
    const opened = await cp.command('console.open', { streamId: 'st1', vmId: 'vm1', type: 'serial' });
    assert.ok(opened.ok, JSON.stringify(opened.error));
    cp.sendRaw({ type: 'console.data', streamId: 'st1', data: Buffer.from('echo NC-$((6 * 7))\n').toString('base64') });
    const output = () => cp.received.filter((m) => m.type === 'console.data' && m.streamId === 'st1')
      .map((m) => Buffer.from((m as { data: string }).data, 'base64').toString('utf8')).join('');
    await cp.waitFor(() => /NC-42/.test(output()), 'the shell answer on the console stream', 30_000);
    assert.ok((await cp.command('console.close', { streamId: 'st1' })).ok);
  });

  it('pauses and resumes (QMP status follows)', async () => {
    const qmp = () => (agent?.driver as QemuDriver).instance('vm1')?.qmp;
    cp.pushDesired([vm({ revision: 2, powerState: 'paused' })], [pool()]);
    await cp.waitStatus('vm1', (s) => s.state === 'paused' && s.observedRevision === 2, 'paused');
    assert.equal((await queryStatus(qmp()!)).status, 'paused');
    await cp.waitEvent('vm1', 'paused');
    cp.pushDesired([vm({ revision: 3 })], [pool()]);
    await cp.waitStatus('vm1', (s) => running(s) && s.observedRevision === 3, 'running again');
    assert.equal((await queryStatus(qmp()!)).status, 'running');
    await cp.waitEvent('vm1', 'resumed');
  });

  it('keeps the VM running across an agent restart and re-adopts the same QEMU pid', async () => {
    const before = cp.statuses.get('vm1')?.pid;
    await agent?.stop();
    const eventsBefore = cp.events.length;
    agent = await startAgent({ serverUrl: cp.url, stateDir, logger: silentLogger }); // no join token: the stored credential
    assert.ok(cp.hellos.at(-1)?.nodeCredential, 'reconnected with the node credential');
    const adopted = await cp.waitEvent('vm1', 'adopted', eventsBefore);
    assert.equal(adopted.detail.pid, before);
    const status = await cp.waitStatus('vm1', running, 'running after restart');
    assert.equal(status.pid, before);
    assert.equal(status.observedRevision, 3);
    assert.match(await serial(), /NOVACRON-GUEST-READY/);
  });

  it('reports a killed QEMU as crashed and does not restart it with restartPolicy no', async () => {
    const pid = cp.statuses.get('vm1')?.pid as number;
    const from = cp.events.length;
    process.kill(pid, 'SIGKILL');
    const crashed = await cp.waitEvent('vm1', 'crashed', from, 15_000);
    assert.equal(crashed.detail.reason, 'crashed');
    const status = await cp.waitStatus('vm1', (s) => s.state === 'crashed', 'crashed');
    assert.equal(status.pid, null);
    assert.equal(status.error?.code, 'CRASHED');
  });

  it('ACPI shutdown reaches the guest and the VM ends stopped', async (t) => {
    const cloudInit = { userData: '#cloud-config\n', metaData: { instanceId: 'vm1', localHostname: 't1' } };
    cp.pushDesired([vm({ revision: 4, cloudInit })], [pool()]);
    const status = await cp.waitStatus('vm1', (s) => running(s) && s.observedRevision === 4, 'running at revision 4');
    pids.add(status.pid as number);
    const argv = JSON.parse(await readFile(join(stateDir, 'vms', 'vm1', 'qemu-argv.json'), 'utf8')) as string[];
    assert.ok(argv.some((a) => a.includes('cidata.iso')), 'the NoCloud seed is attached');
    // The serial log keeps the earlier boot too: wait for the second ready marker.
    await waitSerial(/NOVACRON-GUEST-READY[^]*NOVACRON-GUEST-READY/, 'ready after restart');
    const from = cp.events.length;
    const asked = Date.now();
    cp.pushDesired([vm({ revision: 5, powerState: 'stopped' })], [pool()]);
    await cp.waitStatus('vm1', (s) => s.state === 'stopped' && s.observedRevision === 5, 'stopped');
    t.diagnostic(`desired stopped → state stopped (guest ACPI poweroff): ${Date.now() - asked} ms`);
    assert.match(await serial(), /NOVACRON-GUEST-ACPI-POWEROFF/);
    await cp.waitEvent('vm1', 'powerdown', from);
    await cp.waitEvent('vm1', 'stopped', from);
    assert.ok(await waitForExit(status.pid as number, 5000));
  });

  it('purges the VM files and sent only schema-valid messages', async () => {
    const r = await cp.command('vm.purge', { vmId: 'vm1' });
    assert.ok(r.ok, JSON.stringify(r.error));
    await assert.rejects(stat(join(stateDir, 'vms', 'vm1')));
    assert.deepEqual(cp.invalid, []);
  });
});
