import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { QemuDriver } from '../../apps/agent/src/drivers/hypervisor/qemu/qemu.driver';
import { queryStatus } from '../../apps/agent/src/drivers/hypervisor/qemu/qmp/qmp-commands';
import { waitForExit } from '../../apps/agent/src/drivers/hypervisor/qemu/testing/qemu-test-env';
import { GUEST_OUT, startQemuSystemEnv, type SystemEnv } from './support/system-env';

// The whole path: HTTP API → control plane → agent protocol → real agent → real QEMU → the tiny guest, asserted on
// what the guest itself prints on its serial console.
describe('system: a VM on real QEMU through the API', { timeout: 900_000 }, () => {
  let env: SystemEnv;
  let vmId: string;
  let kernelImage: string;
  let initrdImage: string;

  before(async () => {
    env = await startQemuSystemEnv();
  });
  after(async () => {
    await env?.close();
  });

  const serialLog = (id = vmId) => env.serialLog(id);
  const waitSerial = (pattern: RegExp, what: string, timeoutMs = 180_000) =>
    env.waitFor(async () => (await serialLog()).match(pattern) ?? undefined, what, timeoutMs);
  const vmPid = async (): Promise<number> => {
    const vm = await env.api<{ pid: number | null }>('GET', `/api/v1/vms/${vmId}`);
    assert.ok(vm.pid, 'the VM has a QEMU pid');
    env.pids.add(vm.pid);
    return vm.pid;
  };
  const qmpStatus = async () => (await queryStatus((env.agent?.driver as QemuDriver).instance(vmId)!.qmp)).status;

  it('the node joins with a join token and is online with its probed inventory', async () => {
    const nodes = await env.api<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/nodes');
    assert.equal(nodes.items.length, 1);
    assert.equal(nodes.items[0].state, 'online');
    assert.equal(nodes.items[0].id, env.agent?.nodeId);
    assert.equal(nodes.items[0].accel, nodes.items[0].kvm ? 'kvm' : 'tcg');
  });

  it('imports the tiny guest kernel and initrd by path (inside NOVACRON_IMPORT_DIRS)', async () => {
    const ids: string[] = [];
    for (const [name, kind, file] of [['tiny-kernel', 'kernel', 'vmlinuz'], ['tiny-initrd', 'initrd', 'initrd.img']] as const) {
      const op = await env.api<{ id: string }>('POST', '/api/v1/images', { name, kind, source: { path: join(GUEST_OUT, file) } });
      const done = await env.waitOperation(op);
      const imageId = String((done.result as Record<string, unknown>)?.imageId ?? (done.result as Record<string, unknown>)?.id);
      const image = await env.api<Record<string, unknown>>('GET', `/api/v1/images/${imageId}`);
      assert.equal(image.status, 'ready');
      assert.match(String(image.sha256), /^[0-9a-f]{64}$/);
      ids.push(imageId);
    }
    [kernelImage, initrdImage] = ids;
  });

  it('creates and starts t1: the guest boots, prints its marker and gets 10.0.2.15 by DHCP', async (t) => {
    const started = Date.now();
    const op = await env.api<{ id: string; resources: string[] }>('POST', '/api/v1/vms', {
      name: 't1', vcpus: 1, memoryMiB: 128, boot: { kernelImage, initrdImage, cmdline: 'console=ttyS0' }, disks: [], networks: [{ network: 'default' }], start: true,
    });
    vmId = op.resources[0].split('/').at(-1) as string;
    await env.waitOperation(op);
    const vm = await env.waitVm(vmId, (v) => v.state === 'running', 'running');
    t.diagnostic(`POST /vms → state running: ${Date.now() - started} ms (accel ${String(vm.accel)})`);
    await vmPid();
    await waitSerial(/NOVACRON-GUEST-BOOT/, 'boot marker');
    t.diagnostic(`POST /vms → NOVACRON-GUEST-BOOT: ${Date.now() - started} ms`);
    const ready = await waitSerial(/NOVACRON-GUEST-READY ip=(\S+)/, 'ready marker');
    t.diagnostic(`POST /vms → NOVACRON-GUEST-READY: ${Date.now() - started} ms`);
    assert.equal(ready[1], '10.0.2.15');
  });

  it('pauses and resumes (API state and QMP status)', async () => {
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/pause`));
    await env.waitVm(vmId, (v) => v.state === 'paused', 'paused');
    assert.equal(await qmpStatus(), 'paused');
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/resume`));
    await env.waitVm(vmId, (v) => v.state === 'running', 'running');
    assert.equal(await qmpStatus(), 'running');
  });

  it('survives an agent restart: the same QEMU pid is re-adopted', async () => {
    const pid = await vmPid();
    await env.stopAgent();
    await env.startAgent();
    const vm = await env.waitVm(vmId, (v) => v.state === 'running', 'running after agent restart');
    assert.equal(vm.pid, pid);
    assert.equal(await qmpStatus(), 'running');
    assert.match(await serialLog(), /NOVACRON-GUEST-READY/);
  });

  it('ACPI shutdown reaches the guest and the VM ends stopped', async () => {
    const pid = await vmPid();
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/shutdown`, {}));
    await env.waitVm(vmId, (v) => v.state === 'stopped', 'stopped');
    assert.match(await serialLog(), /NOVACRON-GUEST-ACPI-POWEROFF/);
    assert.ok(await waitForExit(pid, 10_000), 'QEMU exited');
  });

  it('a killed QEMU is reported as crashed on /api/v1/events', async () => {
    await env.waitOperation(await env.api<{ id: string }>('POST', `/api/v1/vms/${vmId}/start`));
    await env.waitVm(vmId, (v) => v.state === 'running', 'running again');
    const pid = await vmPid();
    const from = env.events.length;
    process.kill(pid, 'SIGKILL');
    const event = await env.waitFor(() => env.events.slice(from).find((e) => e.type === 'vm.crashed' && JSON.stringify(e).includes(vmId)), 'vm.crashed event', 30_000);
    assert.ok(event);
    await env.waitVm(vmId, (v) => v.state === 'crashed', 'crashed');
  });
});
