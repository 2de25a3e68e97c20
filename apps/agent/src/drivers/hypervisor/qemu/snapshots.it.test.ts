import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { queryStatus, quit } from './qmp/qmp-commands';
import { createSnapshot, deleteSnapshot, listSnapshots, revertSnapshot, type SnapshotTarget } from './snapshots';
import { ensureTestGuest, requireQemu, waitForExit, type TestGuest } from './testing/qemu-test-env';
import { TINY_GUEST_READY_TIMEOUT_MS, guestShell, startTinyGuest, type TinyGuestVm } from './testing/tiny-guest-vm';

requireQemu();
const execFileAsync = promisify(execFile);

/** The first `n` bytes of a qcow2 image's guest-visible content. */
async function readImageHead(path: string, dir: string, n: number): Promise<string> {
  const raw = join(dir, `head-${Date.now()}.raw`);
  await execFileAsync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', path, raw]);
  const head = (await readFile(raw)).subarray(0, n).toString('latin1');
  await rm(raw, { force: true });
  return head;
}

describe('snapshots against a real QEMU running the tiny guest', { timeout: 600_000 }, () => {
  let guest: TestGuest;
  let dir: string;
  let vm: TinyGuestVm | undefined;
  let disk: string;

  before(async () => {
    guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-snap-'));
    disk = join(dir, 'data.qcow2');
    await execFileAsync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
  });

  after(async () => {
    await vm?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('RAM snapshot reverts guest memory; disk-only snapshot reverts offline; list and delete', async (t) => {
    vm = await startTinyGuest({
      guest, dir, name: 'snap',
      spec: { disks: [{ id: 'data', path: disk, format: 'qcow2', bus: 'virtio' }] },
    });
    const serial = vm.serial!;
    await serial.waitFor(/NOVACRON-GUEST-READY/, TINY_GUEST_READY_TIMEOUT_MS);
    const running: SnapshotTarget = { kind: 'running', qmp: vm.qmp };

    // /tmp lives in the initramfs, i.e. in guest RAM: only a RAM snapshot can bring it back.
    assert.equal(await guestShell(serial, 'echo A > /tmp/x; cat /tmp/x'), 'A');
    let at = Date.now();
    const saved = await createSnapshot(running, 'ram1', { includeRam: true });
    t.diagnostic(`snapshot-save (RAM) took ${Date.now() - at} ms, vm state ${saved.sizeBytes} bytes`);
    assert.equal(saved.includesRam, true);
    assert.ok((saved.sizeBytes ?? 0) > 1_000_000, 'the saved state holds guest memory');
    assert.deepEqual(await createSnapshot(running, 'ram1', { includeRam: true }), saved, 'idempotent for the same tag');

    assert.equal(await guestShell(serial, 'echo B > /tmp/x; cat /tmp/x'), 'B');
    at = Date.now();
    const reverted = await revertSnapshot(running, 'ram1');
    t.diagnostic(`snapshot-load (RAM) took ${Date.now() - at} ms`);
    assert.equal(reverted.ramRestored, true);
    assert.equal((await queryStatus(vm.qmp)).status, 'running', 'a running VM runs again after the revert');
    assert.equal(await guestShell(serial, 'cat /tmp/x'), 'A', 'guest memory is back to the snapshot');

    // Disk-only snapshot of the running VM (atomic transaction), written around through the guest.
    await guestShell(serial, 'printf DISK-1 | dd of=/dev/vda bs=512 conv=sync 2>/dev/null; sync; echo ok');
    const diskOnly = await createSnapshot(running, 'disk1', { includeRam: false });
    assert.equal(diskOnly.includesRam, false);
    await guestShell(serial, 'printf DISK-2 | dd of=/dev/vda bs=512 conv=sync 2>/dev/null; sync; echo ok');

    const list = await listSnapshots(running);
    assert.deepEqual(list.map((s) => [s.tag, s.includesRam, s.complete, s.disks]), [
      ['ram1', true, true, ['drive-data']],
      ['disk1', false, true, ['drive-data']],
    ]);
    await assert.rejects(revertSnapshot(running, 'disk1'), { code: 'INVALID_STATE' }, 'disk-only revert needs a stopped VM');
    await assert.rejects(revertSnapshot(running, 'nope'), { code: 'NOT_FOUND' });

    await deleteSnapshot(running, 'ram1');
    await deleteSnapshot(running, 'ram1'); // idempotent
    assert.deepEqual((await listSnapshots(running)).map((s) => s.tag), ['disk1']);

    // A stopped VM: qemu-img on the files. While QEMU holds the image, qemu-img is refused by the image lock.
    const stopped: SnapshotTarget = { kind: 'stopped', disks: [{ path: disk, format: 'qcow2' }] };
    await assert.rejects(createSnapshot(stopped, 'offline1', { includeRam: false }), { code: 'IN_USE' });
    await quit(vm.qmp);
    assert.ok(await waitForExit(vm.pid, 15_000));

    assert.equal(await readImageHead(disk, dir, 6), 'DISK-2');
    assert.deepEqual((await listSnapshots(stopped)).map((s) => [s.tag, s.includesRam, s.complete]), [['disk1', false, true]]);
    const offlineRevert = await revertSnapshot(stopped, 'disk1');
    assert.equal(offlineRevert.ramRestored, false);
    assert.equal(await readImageHead(disk, dir, 6), 'DISK-1', 'disk content is back to the disk-only snapshot');

    assert.deepEqual(await createSnapshot(stopped, 'offline1', { includeRam: true }), { includesRam: false });
    assert.deepEqual((await listSnapshots(stopped)).map((s) => s.tag), ['disk1', 'offline1']);
    await deleteSnapshot(stopped, 'disk1');
    await deleteSnapshot(stopped, 'offline1');
    assert.deepEqual(await listSnapshots(stopped), []);
  });
});
