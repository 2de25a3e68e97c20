import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { attachDisk, attachNic, detachDisk, detachNic, memoryLimits, peripheralIds, setMemory, setVcpus, vcpuLimits } from './hotplug';
import { humanMonitorCommand, queryCpusFast } from './qmp/qmp-commands';
import { ensureTestGuest, freePort, requireQemu, type TestGuest } from './testing/qemu-test-env';
import { TINY_GUEST_READY_TIMEOUT_MS, guestShell, startTinyGuest, type TinyGuestVm } from './testing/tiny-guest-vm';

requireQemu();
const execFileAsync = promisify(execFile);

describe('hot-plug against a real QEMU running the tiny guest', { timeout: 600_000 }, () => {
  let guest: TestGuest;
  let dir: string;
  let vm: TinyGuestVm;

  before(async () => {
    guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-hotplug-'));
    vm = await startTinyGuest({
      guest, dir, name: 'hp',
      // Room for one more vCPU (the argv builder then runs TCG single-threaded, see SetVcpusOptions) and DIMMs up to 1 GiB.
      // With slots/maxmem the guest kernel needs more memory at boot (128 MiB panics out of memory).
      spec: { nics: [{ id: 'nic0', mac: '52:54:00:4e:43:10', netdev: { type: 'user' } }], memoryMiB: 256, maxVcpus: 2, maxMemoryMiB: 1024 },
    });
    await vm.serial!.waitFor(/NOVACRON-GUEST-READY/, TINY_GUEST_READY_TIMEOUT_MS);
  });

  after(async () => {
    await vm?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('a disk hot-added and detached is seen by the guest (NOVACRON-DISKS), nodes are cleaned up', async (t) => {
    const serial = vm.serial!;
    const path = join(dir, 'hot0.qcow2');
    await execFileAsync('qemu-img', ['create', '-q', '-f', 'qcow2', path, '24M']);
    let at = Date.now();
    await attachDisk(vm.qmp, { id: 'hot0', path, format: 'qcow2' });
    await serial.waitFor(/NOVACRON-DISKS vda\r?\n/, 30_000);
    t.diagnostic(`attach to guest seeing vda: ${Date.now() - at} ms`);
    await attachDisk(vm.qmp, { id: 'hot0', path, format: 'qcow2' }); // idempotent
    assert.equal(await guestShell(serial, 'cat /sys/block/vda/size'), String((24 * 1024 * 1024) / 512));

    at = Date.now();
    await detachDisk(vm.qmp, 'hot0');
    t.diagnostic(`detach (device_del to DEVICE_DELETED + blockdev-del): ${Date.now() - at} ms`);
    await serial.waitFor(/NOVACRON-DISKS *\r?\n/, 30_000);
    const nodes = (await vm.qmp.execute<Array<{ 'node-name': string }>>('query-named-block-nodes', { flat: true })).map((n) => n['node-name']);
    assert.ok(!nodes.includes('drive-hot0') && !nodes.includes('file-hot0'), `nodes left: ${nodes.join(',')}`);
    assert.ok(!(await peripheralIds(vm.qmp)).has('hot0'));
    await detachDisk(vm.qmp, 'hot0'); // idempotent

    // The image can be opened again by qemu-img: QEMU released its lock.
    await execFileAsync('qemu-img', ['info', path]);
    await assert.rejects(attachDisk(vm.qmp, { id: 'bad', path: join(dir, 'missing.qcow2'), format: 'qcow2' }), { code: 'HYPERVISOR_ERROR' });
    const left = (await vm.qmp.execute<Array<{ 'node-name': string }>>('query-named-block-nodes', { flat: true })).map((n) => n['node-name']);
    assert.ok(!left.some((n) => n.endsWith('-bad')), 'a failed attach leaves no nodes');
  });

  it('a NIC hot-added with its MAC appears in the guest and goes away on detach', async () => {
    const serial = vm.serial!;
    const mac = '52:54:00:4e:43:99';
    await attachNic(vm.qmp, { id: 'nic1', mac, hostForwards: [{ protocol: 'tcp', hostPort: await freePort(), guestPort: 80 }] });
    let address = '';
    for (let i = 0; i < 20 && address !== mac; i++) address = await guestShell(serial, 'sleep 0.5; cat /sys/class/net/eth1/address 2>/dev/null');
    assert.equal(address, mac);
    assert.match(await humanMonitorCommand(vm.qmp, 'info network'), /net-nic1/);
    await detachNic(vm.qmp, 'nic1');
    assert.equal(await guestShell(serial, 'ls /sys/class/net | tr "\\n" " "'), 'eth0 lo ');
    assert.doesNotMatch(await humanMonitorCommand(vm.qmp, 'info network'), /net-nic1/);
    await detachNic(vm.qmp, 'nic1'); // idempotent
  });

  it('vCPUs: live add up to maxcpus; refused beyond it and wherever QEMU 7.2 TCG would abort', async () => {
    const serial = vm.serial!;
    assert.deepEqual(await vcpuLimits(vm.qmp), { current: 1, max: 2 });
    await assert.rejects(setVcpus(vm.qmp, 2), { code: 'UNSUPPORTED' }, 'refused unless the caller says TCG is single-threaded');
    await setVcpus(vm.qmp, 2, { tcgThreads: 'single' });
    assert.equal((await queryCpusFast(vm.qmp)).length, 2);
    // The tiny guest has no udev to online a new CPU: do what a udev rule does.
    assert.equal(await guestShell(serial, 'sleep 1; echo 1 > /sys/devices/system/cpu/cpu1/online; nproc'), '2');
    await setVcpus(vm.qmp, 2, { tcgThreads: 'single' }); // no-op
    await assert.rejects(setVcpus(vm.qmp, 3, { tcgThreads: 'single' }), { code: 'UNSUPPORTED' });
    await assert.rejects(setVcpus(vm.qmp, 1, { tcgThreads: 'single' }), { code: 'UNSUPPORTED' }, 'removal under TCG aborts QEMU 7.2');
    assert.equal((await queryCpusFast(vm.qmp)).length, 2, 'QEMU still runs with both vCPUs');
  });

  it('memory: balloon down and back up, a DIMM above the boot size, refused beyond maxmem', async (t) => {
    const serial = vm.serial!;
    const limits = await memoryLimits(vm.qmp);
    assert.deepEqual({ ...limits, balloonMiB: Math.round(limits.balloonMiB ?? -1) }, { bootMiB: 256, pluggedMiB: 0, balloonMiB: 256, maxMiB: 1024, freeSlots: 8 });
    const memTotalKiB = async () => Number(await guestShell(serial, "awk '/MemTotal/ {print $2}' /proc/meminfo"));
    const before = await memTotalKiB();

    const down = await setMemory(vm.qmp, 224);
    assert.ok(Math.abs((down.actualMiB ?? 0) - 224) < 1, `balloon reached ${down.actualMiB}`);
    const shrunk = await memTotalKiB();
    assert.ok(before - shrunk > 30 * 1024 * 0.9, `guest MemTotal ${before} -> ${shrunk} KiB`);
    const up = await setMemory(vm.qmp, 256);
    assert.ok(Math.abs((up.actualMiB ?? 0) - 256) < 1);

    await setMemory(vm.qmp, 384);
    const after = await memoryLimits(vm.qmp);
    assert.equal(after.pluggedMiB, 128);
    assert.equal(after.freeSlots, 7);
    // This guest kernel leaves hot-added memory offline (auto_online_blocks=offline); online it as a udev rule would.
    const autoOnline = await guestShell(serial, 'sleep 1; cat /sys/devices/system/memory/auto_online_blocks');
    await guestShell(serial, 'for b in /sys/devices/system/memory/memory*; do grep -q offline $b/state && echo online > $b/state; done; echo ok');
    const grown = await memTotalKiB();
    t.diagnostic(`guest MemTotal ${before} KiB at boot, ${shrunk} after balloon to 224 MiB, ${grown} after a 128 MiB DIMM (auto_online_blocks=${autoOnline})`);
    assert.ok(grown - before > 120 * 1024, 'the DIMM is usable memory in the guest');
    await assert.rejects(setMemory(vm.qmp, 2048), { code: 'UNSUPPORTED' });
  });
});
