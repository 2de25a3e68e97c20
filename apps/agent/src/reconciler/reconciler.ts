import type { PoolSpec, VmSpec, VmStatus } from '@novacron/api';
import { toWireError } from '../lib/agent-error';
import { KeyedMutex } from '../lib/keyed-mutex';
import type { AgentLogger } from '../lib/logger';
import type { HypervisorDriver, HypervisorEvent, ObservedVm } from '../drivers/hypervisor/driver';
import { restartAllowed, restartDelayMs } from './restart-policy';
import { StatusBook, type VmEventName } from './status-book';
import type { VmRecord, VmRecordStore } from './vm-record';
import { WorkQueue } from './work-queue';

/** Where the reconciler reports to (the agent link). */
export interface ReconcilerReporter {
  status(status: VmStatus): void;
  event(vmId: string, event: VmEventName, detail?: Record<string, unknown>): void;
}

/** What the reconciler is built from; the timing knobs are for tests. */
export interface ReconcilerOptions {
  driver: HypervisorDriver;
  records: VmRecordStore;
  report: ReconcilerReporter;
  logger: AgentLogger;
  /** Every VM is looked at again this often even without news (level-triggered). Default 10 s. */
  resyncIntervalMs?: number;
  /** Crash-loop delay: first restart after this, doubling. Default 1 s. */
  restartBaseMs?: number;
  restartMaxMs?: number;
  /** Running this long resets the crash-loop delay. Default 60 s. */
  stableAfterMs?: number;
  /** Retry delay after a failed step, doubling per failure up to `errorMaxBackoffMs`. Defaults 500 ms, 30 s. */
  errorBackoffMs?: number;
  errorMaxBackoffMs?: number;
}

/**
 * The level-triggered reconciler: for each VM id (desired, remembered, or running) it compares the latest desired spec
 * with what the hypervisor shows and takes one idempotent step towards it, then reports the observed status. Driver
 * events and desired pushes only queue the id; the work itself always re-reads the current state, so missed or
 * repeated news does no harm.
 */
export class Reconciler {
  /** Per-VM lock shared with commands that change a VM's state (snapshots, hot-plug, purge). */
  readonly locks = new KeyedMutex();
  private desired = new Map<string, VmSpec>();
  private pools: PoolSpec[] = [];
  private desiredKnown = false;
  private readonly records = new Map<string, VmRecord>();
  private readonly book: StatusBook;
  private readonly lastError = new Map<string, { code: string; message: string }>();
  private readonly shutdowns = new Map<string, { revision: number; abort: AbortController }>();
  /** VMs purged (or being purged): late news about them (QEMU's exit event, queued passes) must not bring back their record. */
  private readonly purged = new Set<string>();
  /** Record writes in flight per VM, so a purge can wait for them before removing the VM's directory. */
  private readonly saving = new Map<string, Promise<void>>();
  private readonly queue: WorkQueue;
  private resync: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private guestsPolling = false;

  constructor(private readonly o: ReconcilerOptions) {
    this.book = new StatusBook(o.report);
    this.queue = new WorkQueue((id) => this.reconcile(id), {
      baseBackoffMs: o.errorBackoffMs ?? 500,
      maxBackoffMs: o.errorMaxBackoffMs ?? 30_000,
      onError: (vmId, error, failures) => o.logger.warn({ vmId, failures, err: (error as Error).message }, 'reconcile step failed; retrying'),
    });
  }

  /** Loads records, re-adopts running VMs and starts periodic resyncs. Acts on nothing before the first `setDesired`. */
  async start(): Promise<void> {
    for (const record of await this.o.records.loadAll()) this.records.set(record.vmId, record);
    this.unsubscribe = this.o.driver.onEvent((event) => this.onDriverEvent(event));
    const adopted = new Set(await this.o.driver.adoptRunning());
    for (const record of this.records.values()) {
      if (!record.running || adopted.has(record.vmId)) continue;
      // It ran when the agent stopped and QEMU removed its pidfile on the way out: it was shut down, not killed.
      this.markEnded(record, 'host-shutdown', { message: 'QEMU ended while the agent was not running' });
    }
    for (const vmId of this.knownIds()) await this.refresh(vmId).catch(() => undefined);
    this.resync = setInterval(() => this.resyncAll(), this.o.resyncIntervalMs ?? 10_000);
    this.resync.unref?.();
  }

  /** Takes a new full desired state (level-triggered: it replaces the previous one). */
  setDesired(desired: { vms: VmSpec[]; pools: PoolSpec[] }): void {
    this.desired = new Map(desired.vms.map((vm) => [vm.id, vm]));
    this.pools = desired.pools;
    this.desiredKnown = true;
    for (const vmId of this.desired.keys()) this.purged.delete(vmId); // wanted again: a new life
    for (const [vmId, wait] of this.shutdowns) {
      // A newer spec (or none) ends a graceful-shutdown wait early: the next pass acts on what is wanted now.
      if (this.desired.get(vmId)?.revision !== wait.revision) wait.abort.abort();
    }
    for (const vmId of this.knownIds()) this.queue.add(vmId);
  }

  /** Pools from the latest desired state. */
  currentPools(): readonly PoolSpec[] {
    return this.pools;
  }

  /** The latest desired spec of a VM. */
  desiredSpec(vmId: string): VmSpec | undefined {
    return this.desired.get(vmId);
  }

  /** Every desired spec of the latest desired state. */
  desiredSpecs(): VmSpec[] {
    return [...this.desired.values()];
  }

  /** Every VM's last reported status (for heartbeats). */
  statuses(): VmStatus[] {
    return this.book.all();
  }

  /** Queues a VM for a pass now (after a command changed it). */
  poke(vmId: string): void {
    this.queue.add(vmId);
  }

  /**
   * Forgets a VM: stops it hard if needed and removes its run files and record. The stop makes QEMU's `exited` event
   * arrive, possibly after this returns; without the tombstone its handler would write record.json again, into the
   * directory being removed (ENOTEMPTY) or into a new one (the VM's record back from the dead).
   */
  async purge(vmId: string): Promise<void> {
    await this.locks.run(vmId, async () => {
      this.desired.delete(vmId);
      this.purged.add(vmId);
      await this.o.driver.stop(vmId);
      this.records.delete(vmId); // so a save still queued finds its record gone and writes nothing
      await this.saving.get(vmId);
      await this.o.driver.purge(vmId);
      this.lastError.delete(vmId);
      this.book.forget(vmId);
      await this.o.records.remove(vmId);
    });
  }

  /** Stops resyncing and detaches from events (VMs keep running). */
  async stop(): Promise<void> {
    clearInterval(this.resync);
    this.queue.stop();
    this.unsubscribe?.();
    for (const wait of this.shutdowns.values()) wait.abort.abort();
    await this.queue.idle();
  }

  /** Resolves when no pass is queued or running (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private knownIds(): Set<string> {
    return new Set([...this.desired.keys(), ...this.records.keys(), ...this.o.driver.running(), ...this.book.ids()]);
  }

  private resyncAll(): void {
    for (const vmId of this.knownIds()) this.queue.add(vmId);
    void this.o.driver.housekeeping().catch((error: Error) => this.o.logger.warn({ err: error.message }, 'housekeeping failed'));
    void this.refreshGuests();
  }

  // Asks each running guest's agent for its addresses and OS: outside the per-VM lock (a silent guest agent costs a
  // timeout, which must not hold up power actions) and one round at a time.
  private async refreshGuests(): Promise<void> {
    const guestInfo = this.o.driver.guestInfo?.bind(this.o.driver);
    if (!guestInfo || this.guestsPolling) return;
    this.guestsPolling = true;
    try {
      for (const vmId of this.o.driver.running()) {
        const guest = await guestInfo(vmId).catch(() => undefined);
        if (this.book.has(vmId)) this.book.set(vmId, { guest });
      }
    } finally {
      this.guestsPolling = false;
    }
  }

  private async reconcile(vmId: string): Promise<void> {
    await this.locks.run(vmId, async () => {
      if (this.purged.has(vmId)) return;
      if (!this.desiredKnown) return void (await this.refresh(vmId));
      const spec = this.desired.get(vmId);
      const observed = await this.o.driver.observe(vmId);
      if (observed.busy) {
        this.queue.addAfter(vmId, 1_000);
        return void (await this.refresh(vmId, observed));
      }
      if (!spec) {
        // Not wanted on this node any more: stop hard; files stay until `vm.purge`.
        if (observed.state !== 'absent') {
          this.book.set(vmId, { state: 'stopping' });
          await this.o.driver.stop(vmId);
        }
        return void (await this.refresh(vmId));
      }
      const record = this.record(vmId);
      if (record.ended && spec.revision > record.ended.revision) record.ended = undefined; // a new intent clears the latch
      try {
        await this.converge(spec, record, observed);
        this.lastError.delete(vmId);
      } catch (error) {
        this.lastError.set(vmId, toWireError(error));
        throw error; // retried with backoff by the queue
      } finally {
        record.observedRevision = spec.revision;
        await this.save(record);
        await this.refresh(vmId).catch(() => undefined);
      }
    });
  }

  private async converge(spec: VmSpec, record: VmRecord, observed: ObservedVm): Promise<void> {
    const vmId = spec.id;
    if (spec.powerState === 'stopped') {
      if (observed.state === 'absent') return;
      this.book.set(vmId, { state: 'stopping' });
      const abort = new AbortController();
      this.shutdowns.set(vmId, { revision: spec.revision, abort });
      try {
        await this.o.driver.shutdown(vmId, spec.shutdownTimeoutSeconds * 1000, abort.signal);
      } finally {
        this.shutdowns.delete(vmId);
      }
      return;
    }
    if (observed.state === 'absent') return this.startVm(spec, record);
    if (observed.state === 'stopping') return void this.queue.addAfter(vmId, 500);
    if (observed.state === 'error') return; // reported as error; a new revision (or a reset command) moves it on
    if (spec.powerState === 'running' && (observed.state === 'paused' || observed.state === 'starting')) await this.o.driver.resume(vmId);
    else if (spec.powerState === 'paused' && observed.state === 'running') await this.o.driver.pause(vmId);
  }

  private async startVm(spec: VmSpec, record: VmRecord): Promise<void> {
    let restart = false;
    if (record.ended) {
      if (!restartAllowed(spec.restartPolicy, record.ended.reason)) return;
      const wait = restartDelayMs(record.restarts, this.o.restartBaseMs, this.o.restartMaxMs) - (Date.now() - Date.parse(record.ended.at));
      if (wait > 0) return void this.queue.addAfter(spec.id, wait);
      record.restarts += 1;
      restart = true;
    }
    this.book.set(spec.id, { state: 'starting' });
    await this.o.driver.start(spec, { paused: spec.powerState === 'paused', pools: this.pools });
    record.running = true;
    record.ended = undefined;
    record.lastStartAt = new Date().toISOString();
    if (restart) this.o.report.event(spec.id, 'restarted', { restarts: record.restarts });
  }

  private onDriverEvent(event: HypervisorEvent): void {
    if (this.purged.has(event.vmId)) return;
    if (event.type === 'exited') {
      const record = this.record(event.vmId);
      if (event.reason === 'requested') {
        record.running = false;
        void this.save(record);
        this.o.report.event(event.vmId, 'stopped', event.detail ?? {});
      } else {
        this.markEnded(record, event.reason, event.detail ?? {});
      }
    } else {
      this.o.report.event(event.vmId, event.type, event.detail ?? {});
    }
    this.queue.add(event.vmId);
  }

  private markEnded(record: VmRecord, reason: NonNullable<VmRecord['ended']>['reason'], detail: Record<string, unknown>): void {
    const revision = this.desired.get(record.vmId)?.revision ?? record.observedRevision;
    record.running = false;
    record.ended = { revision, reason, at: new Date().toISOString(), detail };
    void this.save(record);
    this.o.report.event(record.vmId, reason === 'crashed' ? 'crashed' : 'stopped', { ...detail, reason });
  }

  // Reads the VM again and reports what is there.
  private async refresh(vmId: string, seen?: ObservedVm): Promise<void> {
    const observed = seen ?? (await this.o.driver.observe(vmId));
    const record = this.records.get(vmId);
    const spec = this.desired.get(vmId);
    if (record && observed.state !== 'absent') {
      const stable = record.lastStartAt && Date.now() - Date.parse(record.lastStartAt) > (this.o.stableAfterMs ?? 60_000);
      if (!record.running || (stable && record.restarts > 0)) {
        record.running = true;
        if (stable) record.restarts = 0;
        await this.save(record);
      }
    }
    const lastError = this.lastError.get(vmId);
    let state: VmStatus['state'];
    let error: VmStatus['error'] = lastError;
    if (observed.state === 'absent') {
      if (record?.ended?.reason === 'crashed') {
        state = 'crashed';
        error ??= { code: 'CRASHED', message: String(record.ended.detail?.message ?? 'QEMU ended unexpectedly') };
      } else state = lastError && spec && spec.powerState !== 'stopped' ? 'error' : 'stopped';
    } else if (observed.state === 'error') {
      state = 'error';
      error ??= { code: 'HYPERVISOR_ERROR', message: observed.detail ?? 'the hypervisor reports an error state' };
    } else state = observed.state;
    this.book.set(vmId, {
      state, pid: observed.pid, accel: observed.accel, observedRevision: record?.observedRevision ?? 0, error,
    });
  }

  private record(vmId: string): VmRecord {
    let record = this.records.get(vmId);
    if (!record) {
      record = { vmId, observedRevision: 0, running: false, restarts: 0 };
      this.records.set(vmId, record);
    }
    return record;
  }

  // Writes of one VM's record run one after another (and a purge waits for the last one).
  private save(record: VmRecord): Promise<void> {
    const vmId = record.vmId;
    const write = (this.saving.get(vmId) ?? Promise.resolve()).then(async () => {
      if (this.records.get(vmId) !== record || this.purged.has(vmId)) return; // purged meanwhile
      await this.o.records.save(record).catch((error: Error) => this.o.logger.warn({ vmId, err: error.message }, 'cannot save VM record'));
    });
    this.saving.set(vmId, write);
    void write.then(() => {
      if (this.saving.get(vmId) === write) this.saving.delete(vmId);
    });
    return write;
  }
}
