import type { VmSpec } from '@novacron/api';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { guestShutdown, queryGuestInfo } from '../../../guest-agent/guest-agent-client';
import { AgentError } from '../../../lib/agent-error';
import { writeFileAtomic } from '../../../lib/fs-util';
import type { AgentLogger } from '../../../lib/logger';
import { processAlive, processArgv, readPidfile, waitForProcessExit } from '../../../lib/process-util';
import type { ImageStore } from '../../../images/image-store';
import { vmRunPaths, type VmRunPaths } from '../../../state-dir';
import type { NetworkRegistry } from '../../network/registry';
import type { StorageRegistry } from '../../storage/registry';
import type {
  GuestInfo, HypervisorDriver, HypervisorEvent, HypervisorInfo, ObservedVm, RuntimeState, ShutdownOutcome, StartOptions,
} from '../driver';
import { assertNotTemplate } from './clone';
import { buildQemuArgs, diskNodeNames } from './qemu-command.ts';
import { qemuDeviceId } from './qemu-device-ids';
import { QemuInstance } from './qemu-instance';
import { launchDaemonized } from './qemu-launch';
import { readSerialTail, rotateSerialLog } from './qemu-serial-log';
import { mapVmSpec } from './qemu-spec-mapper';
import { cont, queryStatus, quit, stop, systemPowerdown, systemReset } from './qmp/qmp-commands.ts';

/** What the QEMU driver is built from. */
export interface QemuDriverOptions {
  /** `<stateDir>/vms`: one run directory per VM. */
  vmsDir: string;
  images: ImageStore;
  storage: StorageRegistry;
  networks: NetworkRegistry;
  /** From the KVM probe: `kvm` only when it was shown to work. */
  accel: 'kvm' | 'tcg';
  qemuBinary?: string;
  qemuVersion?: string;
  tcgTranslationCacheMiB?: number;
  logger: AgentLogger;
}

/** The launch record kept in the run dir: what was started, so an adopting agent can tear the NICs down later. */
interface LaunchRecord {
  spec: VmSpec;
  accel: 'kvm' | 'tcg';
  startedAt: string;
}

const POWERDOWN_REPEAT_MS = 10_000;
// QEMU states in which QEMU itself is moving the VM (saving/loading state, incoming migration): do not act.
const BUSY = new Set(['save-vm', 'restore-vm', 'inmigrate']);

const STATES: Record<string, RuntimeState> = {
  running: 'running', paused: 'paused', suspended: 'paused', 'io-error': 'paused', watchdog: 'paused', debug: 'paused',
  postmigrate: 'paused', prelaunch: 'paused', inmigrate: 'starting', shutdown: 'stopping', 'guest-panicked': 'error',
  'internal-error': 'error', 'save-vm': 'running', 'restore-vm': 'starting', 'finish-migrate': 'paused', colo: 'running',
};

/** Runs VMs as detached QEMU processes and talks to them over QMP; see docs/drivers/README.md. */
export class QemuDriver implements HypervisorDriver {
  private readonly instances = new Map<string, QemuInstance>();
  private readonly listeners = new Set<(event: HypervisorEvent) => void>();
  private readonly binary: string;

  constructor(private readonly o: QemuDriverOptions) {
    this.binary = o.qemuBinary ?? process.env.NOVACRON_QEMU ?? 'qemu-system-x86_64';
  }

  info(): HypervisorInfo {
    return {
      name: 'qemu',
      version: this.o.qemuVersion ?? 'unknown',
      capabilities: {
        accel: this.o.accel, pause: true, acpiShutdown: true, reset: true, survivesAgentRestart: true, directKernelBoot: true,
        diskHotplug: true, nicHotplug: true, ramSnapshots: true, machines: ['pc'], diskBuses: ['virtio'], nicModels: ['virtio-net-pci'],
      },
    };
  }

  /** The watched QEMU of a VM (QMP access for snapshot, hot-plug and console code), or undefined when it is not running. */
  instance(vmId: string): QemuInstance | undefined {
    return this.instances.get(vmId);
  }

  /** The run-file paths of a VM. */
  paths(vmId: string): VmRunPaths {
    return vmRunPaths(this.o.vmsDir, vmId);
  }

  onEvent(listener: (event: HypervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  running(): string[] {
    return [...this.instances.keys()];
  }

  async adoptRunning(): Promise<string[]> {
    await mkdir(this.o.vmsDir, { recursive: true, mode: 0o700 });
    const adopted: string[] = [];
    for (const entry of await readdir(this.o.vmsDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || this.instances.has(entry.name)) continue;
      const paths = this.paths(entry.name);
      const pid = await readPidfile(paths.pidfile);
      if (!pid) continue;
      // A pid is only ours if that process is the QEMU of this run dir (pids are reused).
      const argv = processAlive(pid) ? await processArgv(pid) : undefined;
      if (!argv?.some((arg) => arg.includes(paths.qmpSocket))) {
        // QEMU removes its pidfile when it exits cleanly: a leftover one means it died while the agent was away.
        await rm(paths.pidfile, { force: true });
        await this.teardown(entry.name);
        this.emit({ vmId: entry.name, type: 'exited', reason: 'crashed', detail: { pid, message: 'QEMU ended while the agent was not running' } });
        continue;
      }
      try {
        const launch = await this.launchRecord(entry.name);
        const instance = await QemuInstance.attach({ vmId: entry.name, pid, paths, accel: launch?.accel, emit: (e) => this.emit(e), log: this.o.logger });
        this.track(instance);
        adopted.push(entry.name);
        this.emit({ vmId: entry.name, type: 'adopted', detail: { pid } });
      } catch (error) {
        this.o.logger.error({ vmId: entry.name, pid, err: (error as Error).message }, 'cannot adopt running QEMU');
      }
    }
    return adopted;
  }

  async observe(vmId: string): Promise<ObservedVm> {
    const instance = this.instances.get(vmId);
    if (!instance) return { vmId, state: 'absent', pid: null, accel: null };
    const base = { vmId, pid: instance.pid, accel: instance.accel };
    if (instance.exiting) return { ...base, state: 'stopping' };
    try {
      const { status } = await queryStatus(instance.qmp, { timeoutMs: 5_000 });
      return { ...base, state: STATES[status] ?? 'error', busy: BUSY.has(status), detail: status };
    } catch (error) {
      if (!processAlive(instance.pid)) return { ...base, state: 'stopping' };
      return { ...base, state: 'error', detail: `QMP unavailable: ${(error as Error).message}` };
    }
  }

  async start(spec: VmSpec, opts: StartOptions): Promise<void> {
    if (this.instances.has(spec.id)) return;
    const t0 = performance.now();
    const paths = this.paths(spec.id);
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    const mapped = await mapVmSpec(spec, {
      paths, accel: this.o.accel, tcgTranslationCacheMiB: this.o.tcgTranslationCacheMiB, images: this.o.images,
      storage: this.o.storage, networks: this.o.networks, pools: opts.pools,
    });
    let pid: number | undefined;
    try {
      // A template (a base made read-only, see clone.ts) is never opened read-write: root's QEMU would write it anyway.
      await assertNotTemplate(mapped.qemu.disks ?? []);
      // Always start stopped (-S) and `cont` once QMP is attached: no event of the boot can be missed.
      const args = buildQemuArgs({ ...mapped.qemu, startPaused: true });
      await writeFileAtomic(paths.argv, JSON.stringify([this.binary, ...args], null, 1));
      await writeFileAtomic(paths.launch, JSON.stringify({ spec, accel: this.o.accel, startedAt: new Date().toISOString() } satisfies LaunchRecord));
      for (const stale of [paths.pidfile, paths.qmpSocket, paths.serialSocket, paths.vncSocket, paths.guestAgentSocket]) await rm(stale, { force: true });
      const t1 = performance.now();
      await launchDaemonized(this.binary, args, paths.dir);
      const t2 = performance.now();
      pid = await readPidfile(paths.pidfile);
      if (!pid) throw new AgentError('HYPERVISOR_ERROR', `QEMU started but wrote no pid to ${paths.pidfile}`);
      const instance = await QemuInstance.attach({ vmId: spec.id, pid, paths, accel: this.o.accel, booting: true, emit: (e) => this.emit(e), log: this.o.logger });
      this.track(instance);
      if (!opts.paused) await cont(instance.qmp);
      instance.booting = false;
      const ms = { prepare: Math.round(t1 - t0), launch: Math.round(t2 - t1), attach: Math.round(performance.now() - t2) };
      this.o.logger.info({ vmId: spec.id, pid, ms }, 'QEMU started');
      this.emit({ vmId: spec.id, type: 'started', detail: { pid, accel: this.o.accel, paused: opts.paused } });
    } catch (error) {
      // Undo: a failed start leaves no process and no NIC backends behind.
      const instance = this.instances.get(spec.id);
      instance?.requestExit();
      if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
      if (pid) await waitForProcessExit(pid, 5_000);
      if (!instance) for (const step of mapped.undo.reverse()) await step().catch(() => undefined);
      else await instance.exited;
      throw error;
    }
  }

  async pause(vmId: string): Promise<void> {
    await stop(this.require(vmId).qmp);
  }

  async resume(vmId: string): Promise<void> {
    await cont(this.require(vmId).qmp);
  }

  async reset(vmId: string): Promise<void> {
    await systemReset(this.require(vmId).qmp);
  }

  async reboot(vmId: string): Promise<void> {
    const instance = this.require(vmId);
    // A guest agent reboots the guest cleanly; without one, a reset is the only reboot QEMU can do (ACPI has no reboot).
    if (await guestShutdown(instance.paths.guestAgentSocket, 'reboot', { qmp: instance.qmp }).catch(() => false)) return;
    await systemReset(instance.qmp);
  }

  async guestInfo(vmId: string): Promise<GuestInfo | undefined> {
    const instance = this.instances.get(vmId);
    if (!instance) return undefined;
    return queryGuestInfo(instance.paths.guestAgentSocket, { qmp: instance.qmp, syncTimeoutMs: 1_000, commandTimeoutMs: 3_000 });
  }

  async powerdown(vmId: string): Promise<void> {
    await systemPowerdown(this.require(vmId).qmp);
  }

  async shutdown(vmId: string, timeoutMs: number, signal?: AbortSignal): Promise<ShutdownOutcome> {
    const instance = this.instances.get(vmId);
    if (!instance) return 'guest';
    const { status } = await queryStatus(instance.qmp, { timeoutMs: 5_000 }).catch(() => ({ status: 'unknown' }));
    // A paused guest cannot see the power button; neither can one that is not running at all.
    if (timeoutMs <= 0 || status !== 'running') {
      await this.stop(vmId);
      return 'forced';
    }
    instance.requestExit();
    // A guest agent powers down even a guest that ignores ACPI; without one, the power button.
    const byAgent = await guestShutdown(instance.paths.guestAgentSocket, 'powerdown', { qmp: instance.qmp }).catch(() => false);
    if (!byAgent) await systemPowerdown(instance.qmp);
    // A guest still booting has no ACPI daemon yet and drops the press: press again now and then while waiting.
    const again = setInterval(() => void systemPowerdown(instance.qmp).catch(() => undefined), POWERDOWN_REPEAT_MS);
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      instance.exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        signal?.addEventListener('abort', () => resolve(false), { once: true });
      }),
    ]).finally(() => {
      // Also when the guest was quicker: a pending timer would hold the process open for the whole grace period.
      clearInterval(again);
      clearTimeout(timer);
    });
    if (ended) return 'guest';
    if (signal?.aborted) return 'aborted';
    await this.stop(vmId);
    return 'forced';
  }

  async stop(vmId: string): Promise<void> {
    const instance = this.instances.get(vmId);
    if (!instance) return;
    instance.requestExit();
    await quit(instance.qmp, { timeoutMs: 5_000 }).catch(() => undefined);
    if (!(await waitForProcessExit(instance.pid, 10_000))) {
      const argv = await processArgv(instance.pid);
      if (argv?.some((arg) => arg.includes(instance.paths.qmpSocket))) process.kill(instance.pid, 'SIGKILL');
      await waitForProcessExit(instance.pid, 5_000);
    }
    await instance.exited;
  }

  async resizeDisk(vmId: string, diskId: string, sizeBytes: number): Promise<void> {
    const node = diskNodeNames(qemuDeviceId('d', diskId)).drive;
    await this.require(vmId).qmp.execute('block_resize', { 'node-name': node, size: sizeBytes });
  }

  async purge(vmId: string): Promise<void> {
    if (this.instances.has(vmId)) throw new AgentError('INVALID_STATE', `VM ${vmId} is running; stop it before purging`);
    // Retries ENOTEMPTY/EBUSY: the serial hub or QEMU's teardown may still touch the directory for a moment.
    await rm(this.paths(vmId).dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }

  readSerial(vmId: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }> {
    return readSerialTail(this.paths(vmId), maxBytes);
  }

  async housekeeping(): Promise<void> {
    for (const instance of this.instances.values()) await rotateSerialLog(instance.paths).catch(() => undefined);
  }

  async close(): Promise<void> {
    const instances = [...this.instances.values()];
    this.instances.clear(); // so the closing connections are not taken for QEMU ending
    await Promise.all(instances.map((i) => i.detach()));
  }

  private require(vmId: string): QemuInstance {
    const instance = this.instances.get(vmId);
    if (!instance) throw new AgentError('INVALID_STATE', `VM ${vmId} is not running`);
    return instance;
  }

  private track(instance: QemuInstance): void {
    this.instances.set(instance.vmId, instance);
    void instance.exited.then(async (exit) => {
      if (this.instances.get(instance.vmId) !== instance) return; // detached by close()
      this.instances.delete(instance.vmId);
      await this.teardown(instance.vmId);
      this.emit({ vmId: instance.vmId, type: 'exited', reason: exit.reason, detail: exit.detail });
    });
  }

  // After QEMU ended: release what the NICs held on the host and the sockets QEMU left.
  private async teardown(vmId: string): Promise<void> {
    const paths = this.paths(vmId);
    const launch = await this.launchRecord(vmId);
    for (const nic of launch?.spec.networks ?? []) {
      try {
        await this.o.networks.get(nic.driver).detach({ vmId }, nic);
      } catch (error) {
        this.o.logger.warn({ vmId, nic: nic.id, err: (error as Error).message }, 'NIC teardown failed');
      }
    }
    for (const socket of [paths.qmpSocket, paths.serialSocket, paths.vncSocket, paths.guestAgentSocket]) await rm(socket, { force: true });
  }

  private async launchRecord(vmId: string): Promise<LaunchRecord | undefined> {
    return readFile(this.paths(vmId).launch, 'utf8').then((text) => JSON.parse(text) as LaunchRecord).catch(() => undefined);
  }

  private emit(event: HypervisorEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.o.logger.error({ err: (error as Error).message }, 'hypervisor event listener failed');
      }
    }
  }
}
