import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startQemuSystemEnv, type SystemEnv } from './support/system-env';

// The guest agent path end to end: QEMU's org.qemu.guest_agent.0 channel, a guest answering on it (the tiny guest's
// stand-in agent, `novacron.qga=1`), the node's periodic questions, and the API showing and using the answers.
describe('system: a guest agent inside the guest', { timeout: 600_000 }, () => {
  let env: SystemEnv;
  let vmId: string;

  before(async () => {
    env = await startQemuSystemEnv();
  });
  after(async () => {
    await env?.close();
  });

  const serialLog = () => env.serialLog(vmId);
  const count = (text: string, marker: string) => text.split(marker).length - 1;

  it('reports the guest\'s addresses and OS, reboots and shuts down through it', async (t) => {
    const boot = await env.importGuestBoot('qga');
    const op = await env.api<{ id: string; resources: string[] }>('POST', '/api/v1/vms', {
      name: 'qga', vcpus: 1, memoryMiB: 128, boot: { ...boot, cmdline: 'console=ttyS0 novacron.qga=1' },
      disks: [], networks: [{ network: 'default' }], start: true,
    });
    vmId = op.resources[0].split('/').at(-1) as string;
    await env.waitOperation(op);
    await env.waitFor(async () => /NOVACRON-GUEST-READY/.test(await serialLog()) || undefined, 'ready marker', 240_000);

    const started = Date.now();
    const guest = await env.waitFor(async () => {
      const vm = await env.api<{ guest: { ipAddresses: string[]; os?: string } | null }>('GET', `/api/v1/vms/${vmId}`);
      return vm.guest?.ipAddresses.length ? vm.guest : undefined;
    }, 'guest addresses in the VM', 60_000);
    t.diagnostic(`guest agent report reached the API ${Date.now() - started} ms after the ready marker`);
    assert.deepEqual(guest.ipAddresses, ['10.0.2.15'], 'loopback left out');
    assert.equal(guest.os, 'NovaCron tiny test guest');

    const pid = (await env.api<{ pid: number }>('GET', `/api/v1/vms/${vmId}`)).pid;
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/reboot`));
    await env.waitFor(async () => count(await serialLog(), 'NOVACRON-GUEST-READY') === 2 || undefined, 'ready again after the reboot', 240_000);
    const afterReboot = await serialLog();
    assert.equal(count(afterReboot, 'NOVACRON-GUEST-QGA-REBOOT'), 1, 'the guest agent rebooted it (not a reset)');
    assert.equal(count(afterReboot, 'NOVACRON-GUEST-BOOT'), 2);
    assert.equal((await env.api<{ pid: number }>('GET', `/api/v1/vms/${vmId}`)).pid, pid, 'a guest reboot keeps the QEMU process');

    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/shutdown?timeout=60`));
    const stopped = await env.waitVm(vmId, (v) => v.state === 'stopped', 'stopped');
    const log = await serialLog();
    assert.equal(count(log, 'NOVACRON-GUEST-QGA-POWEROFF'), 1, 'the guest agent powered it off');
    assert.equal(count(log, 'NOVACRON-GUEST-ACPI-POWEROFF'), 0, 'no ACPI button was needed');
    assert.equal(stopped.guest, null, 'a stopped VM has no guest report');
  });
});
