import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { QemuDriver } from '../../apps/agent/src/drivers/hypervisor/qemu/qemu.driver';
import { startQemuSystemEnv, type SystemEnv } from './support/system-env';

// One guest, two things the API's settings must carry all the way to QEMU's command line: a user network's own subnet
// (QEMU's `net=`: the guest's DHCP lease comes from it) and hotplug ceilings (maxcpus, DIMM slots), so PATCH grows the
// running VM without a restart.
describe('system: a VM on its own subnet, resized live through the API', { timeout: 600_000 }, () => {
  let env: SystemEnv;
  let vmId: string;

  before(async () => {
    env = await startQemuSystemEnv();
  });
  after(async () => {
    await env?.close();
  });

  const qmp = () => (env.agent?.driver as QemuDriver).instance(vmId)!.qmp;

  it('boots on 192.168.77.0/24 with room to grow; vCPUs and memory grow live and nothing waits for a restart', async (t) => {
    const boot = await env.importGuestBoot('rs');
    await assert.rejects(env.api('POST', '/api/v1/vms', {
      name: 'bad', vcpus: 2, maxVcpus: 1, memoryMiB: 256, boot, disks: [], networks: [],
    }), /→ 400: .*maxVcpus/, 'a ceiling below the boot size is refused');
    await env.api('POST', '/api/v1/networks', { name: 'lab', cidr: '192.168.77.0/24' });
    const op = await env.api<{ id: string; resources: string[] }>('POST', '/api/v1/vms', {
      name: 'grow', vcpus: 1, maxVcpus: 2, memoryMiB: 256, maxMemoryMiB: 512,
      boot: { ...boot, cmdline: 'console=ttyS0' }, disks: [], networks: [{ network: 'lab' }], start: true,
    });
    vmId = op.resources[0].split('/').at(-1) as string;
    await env.waitOperation(op);
    const vm = await env.waitVm(vmId, (v) => v.state === 'running', 'running');
    assert.equal(vm.maxVcpus, 2);
    assert.equal(vm.maxMemoryMiB, 512);
    const ready = await env.waitFor(async () => (await env.serialLog(vmId)).match(/NOVACRON-GUEST-READY ip=(\S+)/) ?? undefined, 'ready marker', 240_000);
    assert.equal(ready[1], '192.168.77.15', 'the DHCP lease comes from the network\'s subnet');
    const pid = vm.pid;

    const started = Date.now();
    const patched = await env.api<{ vcpus: number; memoryMiB: number; pendingRestart: boolean }>('PATCH', `/api/v1/vms/${vmId}`, { vcpus: 2, memoryMiB: 384 });
    t.diagnostic(`PATCH vcpus 1→2, memory 256→384 MiB live: ${Date.now() - started} ms`);
    assert.equal(patched.vcpus, 2);
    assert.equal(patched.memoryMiB, 384);
    assert.equal(patched.pendingRestart, false, 'applied live, not at the next start');
    assert.equal((await qmp().execute<unknown[]>('query-cpus-fast')).length, 2, 'QEMU runs two vCPUs');
    const memory = await qmp().execute<{ 'base-memory': number; 'plugged-memory'?: number }>('query-memory-size-summary');
    assert.equal((memory['plugged-memory'] ?? 0) / 2 ** 20, 128, 'a 128 MiB DIMM was plugged');
    assert.equal((await env.api<{ pid: number }>('GET', `/api/v1/vms/${vmId}`)).pid, pid, 'same QEMU process');

    const beyond = await env.api<{ pendingRestart: boolean }>('PATCH', `/api/v1/vms/${vmId}`, { memoryMiB: 512, maxMemoryMiB: 1024 });
    assert.equal(beyond.pendingRestart, true, 'a new ceiling needs a restart');
    await assert.rejects(env.api('PATCH', `/api/v1/vms/${vmId}`, { vcpus: 3 }), /→ 400: .*maxVcpus/, 'vCPUs above the ceiling are refused');
  });
});
