import { VmSpec, type VmStatus } from '@novacron/api';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { silentLogger } from '../lib/logger';
import { Reconciler } from './reconciler';
import type { VmEventName } from './status-book';
import { FakeHypervisorDriver, MemoryVmRecordStore } from './testing/fake-hypervisor.driver';
import { FileVmRecordStore } from './vm-record';

function spec(id: string, over: Partial<VmSpec> = {}): VmSpec {
  return VmSpec.parse({
    id, name: id, revision: 1, vcpus: 1, memoryMiB: 128, boot: {}, disks: [], networks: [],
    restartPolicy: 'no', powerState: 'running', ...over,
  });
}

interface Harness {
  reconciler: Reconciler;
  driver: FakeHypervisorDriver;
  records: MemoryVmRecordStore;
  statuses: VmStatus[];
  events: Array<{ vmId: string; event: VmEventName; detail?: Record<string, unknown> }>;
  last(vmId: string): VmStatus | undefined;
  until(check: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

const running: Reconciler[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

async function harness(driver = new FakeHypervisorDriver(), records = new MemoryVmRecordStore(), resyncIntervalMs = 60_000): Promise<Harness> {
  const statuses: VmStatus[] = [];
  const events: Harness['events'] = [];
  const reconciler = new Reconciler({
    driver, records, logger: silentLogger, resyncIntervalMs, restartBaseMs: 30, restartMaxMs: 200, errorBackoffMs: 20, errorMaxBackoffMs: 80,
    report: { status: (s) => statuses.push(s), event: (vmId, event, detail) => events.push({ vmId, event, detail }) },
  });
  running.push(reconciler);
  await reconciler.start();
  return {
    reconciler, driver, records, statuses, events,
    last: (vmId) => statuses.filter((s) => s.vmId === vmId).at(-1),
    until: async (check, what, timeoutMs = 3000) => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(5);
      }
    },
  };
}

describe('Reconciler (fake hypervisor driver)', () => {
  it('reports what the guest agent says while the VM runs, and forgets it when the VM stops', async () => {
    const h = await harness(new FakeHypervisorDriver(), new MemoryVmRecordStore(), 20);
    h.driver.guestAgents.set('g', { ipAddresses: ['10.0.2.15'], os: 'Debian GNU/Linux 12 (bookworm)' });
    h.reconciler.setDesired({ vms: [spec('g')], pools: [] });
    await h.until(() => h.last('g')?.guest?.ipAddresses[0] === '10.0.2.15', 'guest addresses reported');
    assert.equal(h.last('g')?.state, 'running');
    assert.equal(h.last('g')?.guest?.os, 'Debian GNU/Linux 12 (bookworm)');
    h.driver.guestAgents.set('g', { ipAddresses: ['10.0.2.16'] });
    await h.until(() => h.last('g')?.guest?.ipAddresses[0] === '10.0.2.16', 'a changed address reported');
    h.reconciler.setDesired({ vms: [spec('g', { powerState: 'stopped', revision: 2 })], pools: [] });
    await h.until(() => h.last('g')?.state === 'stopped', 'stopped');
    assert.equal(h.last('g')?.guest, undefined, 'a stopped VM has no guest report');
  });

  it('starts a desired VM once however often the same state is pushed, and reports it running at that revision', async () => {
    const h = await harness();
    const vm = spec('a', { revision: 3 });
    h.reconciler.setDesired({ vms: [vm], pools: [] });
    h.reconciler.setDesired({ vms: [vm], pools: [] });
    h.reconciler.setDesired({ vms: [vm], pools: [] });
    await h.until(() => h.last('a')?.state === 'running', 'running');
    await h.reconciler.idle();
    assert.equal(h.driver.count('start', 'a'), 1);
    assert.equal(h.last('a')?.observedRevision, 3);
    assert.equal(h.last('a')?.pid, h.driver.vms.get('a')?.pid);
    assert.deepEqual(h.statuses.filter((s) => s.vmId === 'a').map((s) => s.state), ['starting', 'running']);
    assert.ok(h.events.some((e) => e.vmId === 'a' && e.event === 'started'));
  });

  it('pauses, resumes, shuts down gracefully with the spec timeout, and stops VMs no longer desired', async () => {
    const h = await harness();
    h.reconciler.setDesired({ vms: [spec('a'), spec('b')], pools: [] });
    await h.until(() => h.last('a')?.state === 'running' && h.last('b')?.state === 'running', 'both running');
    h.reconciler.setDesired({ vms: [spec('a', { revision: 2, powerState: 'paused' }), spec('b')], pools: [] });
    await h.until(() => h.last('a')?.state === 'paused', 'paused');
    h.reconciler.setDesired({ vms: [spec('a', { revision: 3 }), spec('b')], pools: [] });
    await h.until(() => h.last('a')?.state === 'running', 'resumed');
    h.reconciler.setDesired({ vms: [spec('a', { revision: 4, powerState: 'stopped', shutdownTimeoutSeconds: 7 }), spec('b')], pools: [] });
    await h.until(() => h.last('a')?.state === 'stopped', 'stopped');
    assert.deepEqual(h.driver.calls.filter((c) => c.op === 'shutdown').map((c) => c.arg), [7000]);
    h.reconciler.setDesired({ vms: [spec('a', { revision: 4, powerState: 'stopped' })], pools: [] });
    await h.until(() => h.last('b')?.state === 'stopped', 'b stopped');
    assert.equal(h.driver.count('stop', 'b'), 1, 'a VM absent from desired is stopped hard');
    assert.equal(h.driver.count('purge', 'b'), 0, 'its files stay until vm.purge');
    assert.equal(h.last('a')?.observedRevision, 4);
  });

  it('starts a VM desired paused with its vCPUs stopped', async () => {
    const h = await harness();
    h.reconciler.setDesired({ vms: [spec('p', { powerState: 'paused' })], pools: [] });
    await h.until(() => h.last('p')?.state === 'paused', 'paused');
    assert.deepEqual(h.driver.calls.find((c) => c.op === 'start')?.arg, { paused: true, revision: 1 });
  });

  it('reports a crash and does not restart with restartPolicy no, until a newer revision asks', async () => {
    const h = await harness();
    h.reconciler.setDesired({ vms: [spec('c')], pools: [] });
    await h.until(() => h.last('c')?.state === 'running', 'running');
    h.driver.crash('c');
    await h.until(() => h.last('c')?.state === 'crashed', 'crashed');
    assert.ok(h.events.some((e) => e.vmId === 'c' && e.event === 'crashed'));
    assert.equal(h.last('c')?.error?.code, 'CRASHED');
    h.reconciler.setDesired({ vms: [spec('c')], pools: [] }); // same revision again: level-triggered, still no restart
    await sleep(100);
    await h.reconciler.idle();
    assert.equal(h.driver.count('start', 'c'), 1);
    h.reconciler.setDesired({ vms: [spec('c', { revision: 2 })], pools: [] });
    await h.until(() => h.last('c')?.state === 'running', 'running again');
    assert.equal(h.last('c')?.error, undefined);
  });

  it('restarts a crashed VM with on-failure (with a growing delay), but not one the guest powered off', async () => {
    const h = await harness();
    h.reconciler.setDesired({ vms: [spec('r', { restartPolicy: 'on-failure' })], pools: [] });
    await h.until(() => h.last('r')?.state === 'running', 'running');
    h.driver.crash('r');
    await h.until(() => h.driver.count('start', 'r') === 2 && h.last('r')?.state === 'running', 'restarted');
    assert.ok(h.events.some((e) => e.vmId === 'r' && e.event === 'restarted'));
    const firstRestart = Date.now();
    h.driver.crash('r');
    await h.until(() => h.driver.count('start', 'r') === 3, 'second restart');
    assert.ok(Date.now() - firstRestart >= 55, 'second restart waited twice the base delay');
    h.driver.guestPowerOff('r');
    await h.until(() => h.last('r')?.state === 'stopped', 'stopped');
    await sleep(150);
    assert.equal(h.driver.count('start', 'r'), 3, 'a guest poweroff is not a failure');
  });

  it('restarts after a guest poweroff with restartPolicy always', async () => {
    const h = await harness();
    h.reconciler.setDesired({ vms: [spec('w', { restartPolicy: 'always' })], pools: [] });
    await h.until(() => h.last('w')?.state === 'running', 'running');
    h.driver.guestPowerOff('w');
    await h.until(() => h.driver.count('start', 'w') === 2 && h.last('w')?.state === 'running', 'restarted');
  });

  it('reports a failing start as error with its code, retries with backoff, and recovers', async () => {
    const h = await harness();
    h.driver.failStarts.set('e', 'image img1 is not on this node');
    h.reconciler.setDesired({ vms: [spec('e')], pools: [] });
    await h.until(() => h.last('e')?.state === 'error', 'error');
    assert.deepEqual(h.last('e')?.error, { code: 'NOT_FOUND', message: 'image img1 is not on this node' });
    assert.equal(h.last('e')?.observedRevision, 1, 'the failed revision is reported as acted on, with its error');
    await h.until(() => h.driver.count('start', 'e') >= 3, 'retries');
    h.driver.failStarts.delete('e');
    await h.until(() => h.last('e')?.state === 'running', 'running', 5000);
    assert.equal(h.last('e')?.error, undefined);
  });

  it('does nothing before the first desired state, then re-adopts running VMs after an agent restart (same pid)', async () => {
    const driver = new FakeHypervisorDriver();
    const records = new MemoryVmRecordStore();
    const first = await harness(driver, records);
    first.reconciler.setDesired({ vms: [spec('k', { revision: 5 }), spec('gone')], pools: [] });
    await first.until(() => first.last('k')?.state === 'running' && first.last('gone')?.state === 'running', 'running');
    const pid = driver.vms.get('k')?.pid;
    await first.reconciler.stop();
    driver.vms.delete('gone'); // ended (cleanly) while no agent was running

    const second = await harness(driver, records);
    assert.equal(second.last('k')?.state, 'running', 'status known before any desired state arrives');
    assert.equal(second.last('k')?.pid, pid);
    assert.equal(second.last('k')?.observedRevision, 5, 'observedRevision survives the restart');
    assert.ok(second.events.some((e) => e.vmId === 'k' && e.event === 'adopted'));
    assert.equal(second.last('gone')?.state, 'stopped');
    await sleep(50);
    assert.equal(driver.count('stop'), 0, 'nothing is stopped before the control plane says what it wants');
    second.reconciler.setDesired({ vms: [spec('k', { revision: 5 }), spec('gone')], pools: [] });
    await second.reconciler.idle();
    await sleep(50);
    assert.equal(driver.count('start', 'k'), 1, 'the adopted VM is not started again');
    assert.equal(driver.count('start', 'gone'), 1, 'a VM that ended while the agent was away stays down (restartPolicy no)');
  });

  it('aborts a graceful shutdown wait when a newer spec arrives', async () => {
    const h = await harness();
    h.driver.stubbornGuests = true;
    h.reconciler.setDesired({ vms: [spec('s')], pools: [] });
    await h.until(() => h.last('s')?.state === 'running', 'running');
    h.reconciler.setDesired({ vms: [spec('s', { revision: 2, powerState: 'stopped', shutdownTimeoutSeconds: 3600 })], pools: [] });
    await h.until(() => h.last('s')?.state === 'stopping', 'stopping');
    h.reconciler.setDesired({ vms: [spec('s', { revision: 3, powerState: 'running' })], pools: [] });
    await h.until(() => h.last('s')?.state === 'running' && h.last('s')?.observedRevision === 3, 'running at revision 3');
    assert.equal(h.driver.vms.has('s'), true, 'the guest was not stopped');
  });

  it('purges a VM: stops it, removes its files and record, and stops reporting it', async () => {
    const h = await harness();
    h.reconciler.setDesired({ vms: [spec('x')], pools: [] });
    await h.until(() => h.last('x')?.state === 'running', 'running');
    await h.reconciler.purge('x');
    assert.equal(h.driver.vms.has('x'), false);
    assert.equal(h.driver.count('purge', 'x'), 1);
    assert.equal(h.records.records.has('x'), false);
    assert.equal(h.reconciler.statuses().some((s) => s.vmId === 'x'), false);
  });

  it('purge does not race the record write of the exit it causes (no ENOTEMPTY, no record.json brought back)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nc-purge-'));
    try {
      // Like the QEMU driver: purge removes the VM's directory, where the file record store keeps record.json.
      class DirDriver extends FakeHypervisorDriver {
        override async purge(vmId: string): Promise<void> {
          await super.purge(vmId);
          await rm(join(dir, vmId), { recursive: true });
        }
      }
      const driver = new DirDriver();
      driver.exitEventDelayMs = 20;
      const h = await harness(driver, new FileVmRecordStore(dir) as unknown as MemoryVmRecordStore);
      const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
      h.reconciler.setDesired({ vms: ids.map((id) => spec(id)), pools: [] });
      await h.until(() => ids.every((id) => h.last(id)?.state === 'running'), 'all running');
      await h.reconciler.idle();
      await Promise.all(ids.map((id) => h.reconciler.purge(id)));
      await sleep(100);
      await h.reconciler.idle();
      assert.deepEqual(await readdir(dir), [], 'no VM directory (or record) came back');
      assert.deepEqual(h.reconciler.statuses().filter((s) => ids.includes(s.vmId)), [], 'purged VMs are not reported again');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
