import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { assertNotTemplate, fullClone, isTemplate, linkedClone, markTemplate, unmarkTemplate } from './clone';
import { quit } from './qmp/qmp-commands';
import { ensureTestGuest, requireQemu, waitForExit, type TestGuest } from './testing/qemu-test-env';
import { TINY_GUEST_READY_TIMEOUT_MS, startTinyGuest, type TinyGuestVm } from './testing/tiny-guest-vm';

requireQemu();
const execFileAsync = promisify(execFile);
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('clones and templates with qemu-img, booted in a real QEMU', { timeout: 600_000 }, () => {
  let guest: TestGuest;
  let dir: string;
  let vm: TinyGuestVm | undefined;

  before(async () => {
    guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-clone-'));
  });

  after(async () => {
    await vm?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('full clone is standalone and identical; a template refuses to start; its linked clone boots the tiny guest', async (t) => {
    const base = join(dir, 'base.qcow2');
    let at = Date.now();
    const full = await fullClone({ path: guest.disk, format: 'qcow2' }, { path: base, format: 'qcow2' });
    t.diagnostic(`full clone of the ${full.virtualSizeBytes}-byte guest disk: ${Date.now() - at} ms`);
    assert.equal(full.backingFile, undefined, 'a full clone has no backing file');
    await execFileAsync('qemu-img', ['compare', '-f', 'qcow2', '-F', 'qcow2', guest.disk, base]);
    await assert.rejects(fullClone({ path: guest.disk, format: 'qcow2' }, { path: base, format: 'qcow2' }), { code: 'IN_USE' }, 'never overwrites');
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.partial')), []);

    await markTemplate(base);
    assert.equal(await isTemplate(base), true);
    await assert.rejects(assertNotTemplate([{ path: base, format: 'qcow2' }]), { code: 'INVALID_STATE' });
    await assertNotTemplate([{ path: base, format: 'qcow2', readonly: true }]); // read-only use is fine
    const baseHash = await sha256(base);

    const clone = join(dir, 'clone.qcow2');
    at = Date.now();
    const linked = await linkedClone({ path: base, format: 'qcow2' }, clone, { sizeBytes: 64 * 1024 * 1024 });
    t.diagnostic(`linked clone: ${Date.now() - at} ms, ${linked.actualSizeBytes} bytes on disk`);
    assert.equal(linked.backingFile, base);
    assert.equal(linked.virtualSizeBytes, Math.max(64 * 1024 * 1024, full.virtualSizeBytes));
    assert.ok(linked.actualSizeBytes < 1024 * 1024, 'a linked clone starts small');
    await assertNotTemplate([{ path: clone, format: 'qcow2' }]);

    at = Date.now();
    vm = await startTinyGuest({ guest, dir, name: 'clone', bootFromDisk: true, spec: { disks: [{ id: 'root', path: clone, format: 'qcow2', bus: 'virtio' }] } });
    await vm.serial!.waitFor(/NOVACRON-GUEST-READY/, TINY_GUEST_READY_TIMEOUT_MS);
    t.diagnostic(`linked clone booted to NOVACRON-GUEST-READY in ${Date.now() - at} ms`);

    // While the clone runs, its disk cannot be copied (QEMU's write lock), nor used as a linked-clone base.
    await assert.rejects(fullClone({ path: clone, format: 'qcow2' }, { path: join(dir, 'copy.qcow2'), format: 'qcow2' }), { code: 'IN_USE' });
    await assert.rejects(linkedClone({ path: clone, format: 'qcow2' }, join(dir, 'copy2.qcow2')), { code: 'IN_USE' });
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('copy') || f.endsWith('.partial')), [], 'failed clones leave nothing');

    await quit(vm.qmp);
    assert.ok(await waitForExit(vm.pid, 15_000));
    assert.equal(await sha256(base), baseHash, 'booting the linked clone did not write the template');

    await unmarkTemplate(base);
    assert.equal(await isTemplate(base), false);
    await assert.rejects(fullClone({ path: 'relative.qcow2', format: 'qcow2' }, { path: join(dir, 'x.qcow2'), format: 'qcow2' }), { code: 'BAD_REQUEST' });
    await writeFile(join(dir, 'not-an-image.qcow2'), 'garbage');
    await assert.rejects(fullClone({ path: join(dir, 'not-an-image.qcow2'), format: 'qcow2' }, { path: join(dir, 'y.raw'), format: 'raw' }), { code: 'IO_ERROR' });
  });
});
