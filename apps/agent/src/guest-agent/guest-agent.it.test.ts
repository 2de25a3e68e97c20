import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureTestGuest, requireQemu, type TestGuest } from '../drivers/hypervisor/qemu/testing/qemu-test-env';
import { TINY_GUEST_READY_TIMEOUT_MS, startTinyGuest, type TinyGuestVm } from '../drivers/hypervisor/qemu/testing/tiny-guest-vm';
import { guestAgentChannelOpen, guestShutdown, queryGuestInfo } from './guest-agent-client';

requireQemu();

describe('guest agent channel of a real QEMU whose guest runs no guest agent', { timeout: 300_000 }, () => {
  let guest: TestGuest;
  let dir: string;
  let vm: TinyGuestVm | undefined;

  before(async () => {
    guest = await ensureTestGuest();
    dir = await mkdtemp(join(tmpdir(), 'nc-qga-it-'));
  });
  after(async () => {
    await vm?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('is reported as "no guest agent" (closed channel per QMP, no answer on the socket), without failing', async () => {
    const socket = join(dir, 'qga.sock');
    vm = await startTinyGuest({ guest, dir, name: 'qga', spec: { guestAgentSocketPath: socket } });
    await vm.serial!.waitFor(/NOVACRON-GUEST-READY/, TINY_GUEST_READY_TIMEOUT_MS);
    assert.equal(await guestAgentChannelOpen(vm.qmp), false);
    let at = Date.now();
    assert.equal(await queryGuestInfo(socket, { qmp: vm.qmp }), undefined);
    assert.ok(Date.now() - at < 500, 'QMP tells at once, no sync timeout');
    at = Date.now();
    assert.equal(await queryGuestInfo(socket, { syncTimeoutMs: 500 }), undefined, 'without QMP: the sync times out');
    assert.ok(Date.now() - at >= 450);
    assert.equal(await guestShutdown(socket, 'powerdown', { qmp: vm.qmp }), false, 'the caller falls back to ACPI');
    assert.equal((await vm.qmp.execute<{ status: string }>('query-status')).status, 'running');
  });
});
