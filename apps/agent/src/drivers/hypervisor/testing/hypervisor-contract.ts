// TEST HELPER: the contract every hypervisor driver passes (the real QEMU driver in an *.it.test.ts, the test fake in a
// unit test, so the reconciler's unit tests run against a fake that behaves like the real thing).
import type { VmSpec } from '@novacron/api';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HypervisorDriver, HypervisorEvent } from '../driver';

/** What a driver's test file provides to the contract. */
export interface HypervisorContractHarness {
  /** A fresh driver over the host's current state (a second call simulates an agent restart). */
  open(): Promise<HypervisorDriver>;
  /** A spec the driver can start (its resources exist); `id` is unique per test. */
  spec(id: string): VmSpec;
  /** Kills the VM's process from outside, like SIGKILL. */
  kill(pid: number): void;
  /** Waits until the guest is ready to honour the ACPI power button (real guests: their acpid runs). */
  guestReady(driver: HypervisorDriver, vmId: string): Promise<void>;
  /** Removes everything (processes included). */
  cleanup(): Promise<void>;
}

/** Registers the contract tests for one driver. */
export function describeHypervisorContract(name: string, setup: () => Promise<HypervisorContractHarness>, timeoutMs = 600_000): void {
  describe(`hypervisor driver contract: ${name}`, { timeout: timeoutMs }, () => {
    let h: HypervisorContractHarness;
    let driver: HypervisorDriver;
    const events: HypervisorEvent[] = [];
    const pools: never[] = [];

    before(async () => {
      h = await setup();
      driver = await h.open();
      driver.onEvent((e) => events.push(e));
    });
    after(async () => {
      await driver?.close();
      await h?.cleanup();
    });

    const until = async (check: () => boolean, what: string, ms = 30_000): Promise<void> => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events ${JSON.stringify(events.slice(-5))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const exited = (vmId: string, reason: string) => events.some((e) => e.vmId === vmId && e.type === 'exited' && e.reason === reason);

    it('info() names the driver and its capabilities', () => {
      const info = driver.info();
      assert.ok(info.name);
      assert.ok(info.capabilities.accel === 'kvm' || info.capabilities.accel === 'tcg');
    });

    it('observes an unknown VM as absent; stop and purge of it are no-ops', async () => {
      assert.deepEqual(await driver.observe('never-seen'), { vmId: 'never-seen', state: 'absent', pid: null, accel: null });
      await driver.stop('never-seen');
    });

    it('starts a VM (idempotently), pauses and resumes it, and stops it hard', async () => {
      const spec = h.spec('c1');
      await driver.start(spec, { paused: false, pools });
      const first = await driver.observe('c1');
      assert.equal(first.state, 'running');
      assert.ok(first.pid && first.pid > 0);
      assert.ok(events.some((e) => e.vmId === 'c1' && e.type === 'started'));
      await driver.start(spec, { paused: false, pools });
      assert.equal((await driver.observe('c1')).pid, first.pid, 'a second start is a no-op');
      assert.deepEqual(driver.running(), ['c1']);
      await driver.pause('c1');
      assert.equal((await driver.observe('c1')).state, 'paused');
      await until(() => events.some((e) => e.vmId === 'c1' && e.type === 'paused'), 'paused event');
      await driver.resume('c1');
      assert.equal((await driver.observe('c1')).state, 'running');
      await until(() => events.some((e) => e.vmId === 'c1' && e.type === 'resumed'), 'resumed event');
      await driver.stop('c1');
      assert.equal((await driver.observe('c1')).state, 'absent');
      await until(() => exited('c1', 'requested'), 'exited requested');
      assert.equal(events.filter((e) => e.vmId === 'c1' && e.type === 'exited').length, 1);
      await driver.stop('c1');
      await driver.purge('c1');
    });

    it('starts a VM paused', async () => {
      await driver.start(h.spec('c2'), { paused: true, pools });
      assert.equal((await driver.observe('c2')).state, 'paused');
      assert.equal(await driver.shutdown('c2', 60_000), 'forced', 'a paused guest cannot see the power button');
      assert.equal((await driver.observe('c2')).state, 'absent');
    });

    it('shuts a guest down cooperatively, and stops hard with a zero timeout', async () => {
      await driver.start(h.spec('c3'), { paused: false, pools });
      await h.guestReady(driver, 'c3');
      // Neither guest here runs a guest agent: the question answers "none" at once, so shutdown falls back to ACPI.
      const asked = Date.now();
      assert.equal(await driver.guestInfo?.('c3'), undefined);
      assert.ok(Date.now() - asked < 1_000, `guestInfo without a guest agent took ${Date.now() - asked} ms`);
      assert.equal(await driver.shutdown('c3', 60_000), 'guest');
      assert.equal((await driver.observe('c3')).state, 'absent');
      await until(() => exited('c3', 'requested'), 'exited requested');
      await driver.start(h.spec('c4'), { paused: false, pools });
      assert.equal(await driver.shutdown('c4', 0), 'forced');
      assert.equal((await driver.observe('c4')).state, 'absent');
    });

    it('reports a killed VM as exited: crashed', async () => {
      await driver.start(h.spec('c5'), { paused: false, pools });
      const { pid } = await driver.observe('c5');
      h.kill(pid as number);
      await until(() => exited('c5', 'crashed'), 'exited crashed');
      assert.equal((await driver.observe('c5')).state, 'absent');
      assert.deepEqual(driver.running(), []);
    });

    it('re-adopts a running VM from a new driver instance (agent restart), same pid', async () => {
      await driver.start(h.spec('c6'), { paused: false, pools });
      const { pid } = await driver.observe('c6');
      await driver.close();
      driver = await h.open();
      driver.onEvent((e) => events.push(e));
      assert.deepEqual(await driver.adoptRunning(), ['c6']);
      const seen = await driver.observe('c6');
      assert.equal(seen.state, 'running');
      assert.equal(seen.pid, pid);
      assert.ok(events.some((e) => e.vmId === 'c6' && e.type === 'adopted'));
      await driver.stop('c6');
      await until(() => exited('c6', 'requested'), 'exited after adoption');
    });
  });
}
