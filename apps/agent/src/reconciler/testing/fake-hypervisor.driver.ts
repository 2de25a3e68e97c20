// TEST FAKE: an in-memory hypervisor driver for reconciler unit tests. Never used in production.
import type { VmSpec } from '@novacron/api';
import type {
  ExitReason, GuestInfo, HypervisorDriver, HypervisorEvent, HypervisorInfo, ObservedVm, ShutdownOutcome, StartOptions,
} from '../../drivers/hypervisor/driver';
import { AgentError } from '../../lib/agent-error';
import type { VmRecord, VmRecordStore } from '../vm-record';

/** A fake "process". */
export interface FakeVm {
  pid: number;
  state: 'running' | 'paused';
}

/** A call the fake received, for assertions. */
export interface FakeCall {
  op: string;
  vmId: string;
  arg?: unknown;
}

/** Processes are entries in a map; tests crash them, power them off from "inside", and make starts fail. */
export class FakeHypervisorDriver implements HypervisorDriver {
  /** "Processes"; pass the map of another fake to simulate a new driver over the same host (an agent restart). */
  constructor(readonly vms = new Map<string, FakeVm>()) {}
  readonly calls: FakeCall[] = [];
  /** Starts of these VM ids throw until removed. */
  readonly failStarts = new Map<string, string>();
  /** When set, a graceful shutdown waits for `guestPowerOff` or the timeout (otherwise the guest obeys at once). */
  stubbornGuests = false;
  /** When set, `exited` follows this long after the "process" is gone (as QEMU's does, after its teardown). */
  exitEventDelayMs: number | undefined;
  /** What the guest agent of a running VM answers; VMs without an entry have none. */
  readonly guestAgents = new Map<string, GuestInfo>();
  private nextPid = 1000 + Math.floor(Math.random() * 1000) * 100;
  private readonly listeners = new Set<(event: HypervisorEvent) => void>();
  private readonly poweroffWaiters = new Map<string, () => void>();

  info(): HypervisorInfo {
    return {
      name: 'fake', version: '0', capabilities: {
        accel: 'tcg', pause: true, acpiShutdown: true, reset: true, survivesAgentRestart: true, directKernelBoot: true,
        diskHotplug: false, nicHotplug: false, ramSnapshots: false, machines: ['pc'], diskBuses: ['virtio'], nicModels: ['virtio-net-pci'],
      },
    };
  }

  /** Number of calls of `op` (for `vmId` when given). */
  count(op: string, vmId?: string): number {
    return this.calls.filter((c) => c.op === op && (vmId === undefined || c.vmId === vmId)).length;
  }

  async adoptRunning(): Promise<string[]> {
    for (const vmId of this.vms.keys()) this.emit({ vmId, type: 'adopted', detail: { pid: this.vms.get(vmId)?.pid } });
    return [...this.vms.keys()];
  }

  running(): string[] {
    return [...this.vms.keys()];
  }

  async guestInfo(vmId: string): Promise<GuestInfo | undefined> {
    return this.vms.has(vmId) ? this.guestAgents.get(vmId) : undefined;
  }

  async observe(vmId: string): Promise<ObservedVm> {
    const vm = this.vms.get(vmId);
    return vm ? { vmId, state: vm.state, pid: vm.pid, accel: 'tcg' } : { vmId, state: 'absent', pid: null, accel: null };
  }

  async start(spec: VmSpec, opts: StartOptions): Promise<void> {
    this.calls.push({ op: 'start', vmId: spec.id, arg: { paused: opts.paused, revision: spec.revision } });
    if (this.vms.has(spec.id)) return;
    const failure = this.failStarts.get(spec.id);
    if (failure) throw new AgentError('NOT_FOUND', failure);
    this.vms.set(spec.id, { pid: this.nextPid++, state: opts.paused ? 'paused' : 'running' });
    this.emit({ vmId: spec.id, type: 'started' });
  }

  async pause(vmId: string): Promise<void> {
    this.calls.push({ op: 'pause', vmId });
    this.mustRun(vmId).state = 'paused';
    this.emit({ vmId, type: 'paused' });
  }

  async resume(vmId: string): Promise<void> {
    this.calls.push({ op: 'resume', vmId });
    this.mustRun(vmId).state = 'running';
    this.emit({ vmId, type: 'resumed' });
  }

  async reset(vmId: string): Promise<void> {
    this.calls.push({ op: 'reset', vmId });
  }

  async reboot(vmId: string): Promise<void> {
    this.calls.push({ op: 'reboot', vmId });
  }

  async powerdown(vmId: string): Promise<void> {
    this.calls.push({ op: 'powerdown', vmId });
  }

  async shutdown(vmId: string, timeoutMs: number, signal?: AbortSignal): Promise<ShutdownOutcome> {
    this.calls.push({ op: 'shutdown', vmId, arg: timeoutMs });
    if (!this.vms.has(vmId)) return 'guest';
    if (timeoutMs <= 0 || this.vms.get(vmId)?.state === 'paused') return (await this.stop(vmId), 'forced');
    if (!this.stubbornGuests) return (this.end(vmId, 'requested'), 'guest');
    const outcome = await new Promise<ShutdownOutcome>((resolve) => {
      const timer = setTimeout(() => resolve('forced'), timeoutMs);
      this.poweroffWaiters.set(vmId, () => (clearTimeout(timer), resolve('guest')));
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve('aborted')), { once: true });
    });
    this.poweroffWaiters.delete(vmId);
    if (outcome === 'forced') await this.stop(vmId);
    return outcome;
  }

  async stop(vmId: string): Promise<void> {
    this.calls.push({ op: 'stop', vmId });
    if (this.vms.has(vmId)) this.end(vmId, 'requested');
  }

  async resizeDisk(vmId: string, diskId: string, sizeBytes: number): Promise<void> {
    this.calls.push({ op: 'resizeDisk', vmId, arg: { diskId, sizeBytes } });
  }

  async purge(vmId: string): Promise<void> {
    this.calls.push({ op: 'purge', vmId });
  }

  async readSerial(): Promise<{ data: Buffer; truncated: boolean }> {
    return { data: Buffer.alloc(0), truncated: false };
  }

  onEvent(listener: (event: HypervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async housekeeping(): Promise<void> {}

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** The "process" with `pid` dies, as if killed from outside. */
  killPid(pid: number): void {
    for (const [vmId, vm] of this.vms) if (vm.pid === pid) this.crash(vmId);
  }

  /** The "process" dies (like SIGKILL). */
  crash(vmId: string): void {
    this.end(vmId, 'crashed');
  }

  /** The guest powers itself off (or obeys a pending ACPI shutdown). */
  guestPowerOff(vmId: string): void {
    const waiter = this.poweroffWaiters.get(vmId);
    if (waiter) {
      this.end(vmId, 'requested');
      waiter();
    } else this.end(vmId, 'guest-shutdown');
  }

  private end(vmId: string, reason: ExitReason): void {
    this.vms.delete(vmId);
    if (this.exitEventDelayMs === undefined) this.emit({ vmId, type: 'exited', reason });
    else setTimeout(() => this.emit({ vmId, type: 'exited', reason }), this.exitEventDelayMs);
  }

  private mustRun(vmId: string): FakeVm {
    const vm = this.vms.get(vmId);
    if (!vm) throw new Error(`${vmId} not running`);
    return vm;
  }

  private emit(event: HypervisorEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** TEST FAKE: records kept in memory (shared between reconcilers to simulate an agent restart). */
export class MemoryVmRecordStore implements VmRecordStore {
  readonly records = new Map<string, VmRecord>();

  async loadAll(): Promise<VmRecord[]> {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  async save(record: VmRecord): Promise<void> {
    this.records.set(record.vmId, structuredClone(record));
  }

  async remove(vmId: string): Promise<void> {
    this.records.delete(vmId);
  }
}
