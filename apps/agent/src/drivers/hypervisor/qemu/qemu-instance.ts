import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentLogger } from '../../../lib/logger';
import { processAlive, waitForProcessExit } from '../../../lib/process-util';
import type { VmRunPaths } from '../../../state-dir';
import type { ExitReason, HypervisorEvent } from '../driver';
import { QmpClient } from './qmp/qmp-client.ts';
import { queryKvm } from './qmp/qmp-commands.ts';
import type { QmpEvent } from './qmp/qmp-types.ts';

/** How a VM's QEMU ended. */
export interface QemuExit {
  reason: ExitReason;
  detail: Record<string, unknown>;
}

const QMP_OPTIONS = { connectTimeoutMs: 10_000, defaultTimeoutMs: 30_000 } as const;

/**
 * One running QEMU the driver watches: its pid, the QMP connection (QEMU serves one QMP client at a time, so every
 * QMP user of the VM goes through `qmp` here), and its end. QEMU is not our child, so its end is seen as the QMP
 * socket closing, and classified by the SHUTDOWN event that came before (none: it died).
 */
export class QemuInstance {
  /** Resolves once QEMU has ended, with why. */
  readonly exited: Promise<QemuExit>;
  /** Set while the driver starts the VM with `-S`: its STOP/RESUME events are part of starting, not news. */
  booting = false;
  private exitRequested = false;
  private detached = false;
  private shutdownEvent: QmpEvent | undefined;
  private resolveExit!: (exit: QemuExit) => void;

  private constructor(
    readonly vmId: string,
    readonly pid: number,
    readonly paths: VmRunPaths,
    /** The current QMP connection (replaced if it drops while QEMU lives). */
    public qmp: QmpClient,
    readonly accel: 'kvm' | 'tcg',
    private readonly emit: (event: HypervisorEvent) => void,
    private readonly log: AgentLogger,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Connects to a QEMU's QMP socket and starts watching it; `accel` is asked from QEMU when not known. */
  static async attach(opts: {
    vmId: string; pid: number; paths: VmRunPaths; accel?: 'kvm' | 'tcg'; booting?: boolean;
    emit: (event: HypervisorEvent) => void; log: AgentLogger;
  }): Promise<QemuInstance> {
    const qmp = await QmpClient.connect(opts.paths.qmpSocket, QMP_OPTIONS);
    try {
      const accel = opts.accel ?? ((await queryKvm(qmp)).enabled ? 'kvm' : 'tcg');
      const instance = new QemuInstance(opts.vmId, opts.pid, opts.paths, qmp, accel, opts.emit, opts.log);
      instance.booting = opts.booting ?? false;
      instance.watch(qmp);
      return instance;
    } catch (error) {
      await qmp.close();
      throw error;
    }
  }

  /** Marks the coming end as asked for by the agent (stop, shutdown), so it is not taken for a crash. */
  requestExit(): void {
    this.exitRequested = true;
  }

  /** Stops watching (the agent is stopping): closes QMP without taking that for QEMU's end; QEMU keeps running. */
  async detach(): Promise<void> {
    this.detached = true;
    await this.qmp.close();
  }

  /** Whether the agent asked this QEMU to end. */
  get exiting(): boolean {
    return this.exitRequested || this.shutdownEvent !== undefined;
  }

  private watch(qmp: QmpClient): void {
    qmp.onEvent((event) => this.onQmpEvent(event));
    void qmp.closed.then(() => this.onQmpClosed(qmp));
  }

  private onQmpEvent(event: QmpEvent): void {
    const vmId = this.vmId;
    switch (event.event) {
      case 'STOP':
        if (!this.booting && !this.exiting) this.emit({ vmId, type: 'paused' });
        break;
      case 'RESUME':
        if (!this.booting) this.emit({ vmId, type: 'resumed' });
        break;
      case 'RESET':
        this.emit({ vmId, type: 'reset', detail: { guest: event.data.guest, reason: event.data.reason } });
        break;
      case 'POWERDOWN':
        this.emit({ vmId, type: 'powerdown' });
        break;
      case 'SHUTDOWN':
        this.shutdownEvent = event;
        if (event.data.reason === 'guest-shutdown') this.emit({ vmId, type: 'guest-shutdown' });
        break;
    }
  }

  private async onQmpClosed(qmp: QmpClient): Promise<void> {
    if (qmp !== this.qmp || this.detached) return;
    if (await waitForProcessExit(this.pid, 10_000)) {
      this.resolveExit(this.classify());
      return;
    }
    // QEMU lives but its monitor connection dropped: reconnect, or the VM would be unmanageable.
    for (let attempt = 1; processAlive(this.pid) && !this.detached; attempt++) {
      try {
        const next = await QmpClient.connect(this.paths.qmpSocket, QMP_OPTIONS);
        if (this.detached) return void (await next.close());
        this.qmp = next;
        this.watch(next);
        this.log.warn({ vmId: this.vmId, pid: this.pid }, 'QMP connection dropped; reconnected');
        return;
      } catch (error) {
        this.log.warn({ vmId: this.vmId, pid: this.pid, attempt, err: (error as Error).message }, 'QMP reconnect failed');
        await sleep(Math.min(10_000, 500 * attempt));
      }
    }
    if (!this.detached) this.resolveExit(this.classify());
  }

  private classify(): QemuExit {
    const shutdown = this.shutdownEvent?.data;
    if (this.exitRequested) return { reason: 'requested', detail: shutdown ? { qemuReason: shutdown.reason } : {} };
    if (shutdown?.reason === 'guest-shutdown') return { reason: 'guest-shutdown', detail: { qemuReason: shutdown.reason } };
    if (shutdown) return { reason: 'host-shutdown', detail: { qemuReason: shutdown.reason } };
    // No SHUTDOWN event: killed (SIGKILL, OOM killer) or crashed. A daemon's exit status is its init's to read, not ours.
    return { reason: 'crashed', detail: { pid: this.pid, message: 'QEMU ended without a shutdown (killed or crashed)' } };
  }
}
