import { ApiError, type Operation } from '@novacron/api';
import type { Principal } from '../auth/principal';
import type { ComputeDeps } from '../compute/compute-deps';
import type { VmRow, VmStatusRow } from '../store/compute-schema';
import type { StorageRepository } from '../storage/storage.repository';
import { assertNoLinkedClones, assertNotTemplate, assertReady, vmFor } from './vm-access';
import type { VmStatusService } from './vm-status.service';
import type { VmRepository } from './vm.repository';

/** Power actions of the API. */
export type PowerAction = 'start' | 'stop' | 'shutdown' | 'reboot' | 'reset' | 'pause' | 'resume';

const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 30_000;

/** Whether the node reached `state` for spec revision `rev` (an `error`/`crashed` report at that revision fails the wait). */
export function reached(rev: number, states: readonly string[], failOn: readonly string[] = ['error', 'crashed']) {
  return (s: VmStatusRow): boolean | Error => {
    if (Number(s.observed_revision) < rev) return false;
    if (states.includes(s.state)) return true;
    if (failOn.includes(s.state)) return new ApiError('HYPERVISOR_ERROR', s.error_message ? `the VM is ${s.state}: ${s.error_message}` : `the VM is ${s.state}`);
    return false;
  };
}

/** Start, stop, ACPI shutdown, pause, resume (desired state, level-triggered) and reboot, reset (commands). */
export class VmPowerService {
  constructor(
    private readonly d: ComputeDeps,
    private readonly repo: VmRepository,
    private readonly status: VmStatusService,
    private readonly storage: StorageRepository,
  ) {}

  /** Refuses to start a template, or a VM whose volumes back linked clones (a running VM writes its disks). */
  async assertStartable(vm: VmRow): Promise<void> {
    assertNotTemplate(vm);
    await assertNoLinkedClones(vm, this.repo, this.storage, 'start');
  }

  /** Changes the desired power state, pushes it to the node and waits until the node reports the target state at that revision. */
  async converge(vm: VmRow, power: 'running' | 'stopped' | 'paused', opts: { shutdownTimeout?: number; until: string[]; timeoutMs: number; what: string; signal?: AbortSignal }): Promise<VmStatusRow> {
    const rev = await this.repo.updateSpec(vm.id, { power_state: power, shutdown_timeout: opts.shutdownTimeout ?? 0, updated_at: this.d.clock.now().toISOString() }, true);
    const wait = this.status.waitFor(vm.id, reached(rev, opts.until), opts.timeoutMs, opts.what, opts.signal);
    await this.d.hub.pushDesired(vm.node_id);
    return wait;
  }

  /** Starts a VM and waits until it runs. */
  startAndWait(vm: VmRow, signal?: AbortSignal): Promise<VmStatusRow> {
    return this.converge(vm, 'running', { until: ['running'], timeoutMs: START_TIMEOUT_MS, what: 'start', signal });
  }

  /** Stops a VM hard and waits until it is down. */
  stopAndWait(vm: VmRow, signal?: AbortSignal): Promise<VmStatusRow> {
    return this.converge(vm, 'stopped', { until: ['stopped', 'crashed', 'error'], timeoutMs: STOP_GRACE_MS, what: 'stop', signal });
  }

  /** `POST /api/v1/vms/{id}/{action}` → an operation. */
  async action(p: Principal, id: string, action: PowerAction, opts: { timeout?: number } = {}): Promise<Operation> {
    const vm = await vmFor(this.repo, p, id, 'vm:power');
    assertReady(vm);
    if (!this.d.hub.isOnline(vm.node_id)) throw new ApiError('NODE_UNREACHABLE', `the node of VM ${vm.name} is offline`);
    const state = (await this.repo.status(vm.id))?.state ?? 'stopped';
    const need = (ok: string[], verb: string) => {
      if (!ok.includes(state)) throw new ApiError('INVALID_STATE', `VM ${vm.name} is ${state}: it can be ${verb} only when ${ok.join(' or ')}`);
    };
    if (action === 'start') await this.assertStartable(vm);
    if (action === 'pause') need(['running'], 'paused');
    if (action === 'resume') need(['paused'], 'resumed');
    if (action === 'reboot') need(['running'], 'rebooted');
    if (action === 'reset') need(['running', 'paused'], 'reset');
    const meta = { kind: `vm.${action}`, tenantId: vm.tenant_id, resources: [`/api/v1/vms/${vm.id}`], createdBy: p.userId };
    return this.d.busy.start(this.d.operations, [`vm:${vm.id}`], meta, async (ctx) => {
      const signal = ctx.signal;
      switch (action) {
        case 'start': {
          // Again under the VM's busy lock: it may have been made a template since the check above.
          const current = await this.repo.get(vm.id, 'all');
          if (current) await this.assertStartable(current);
          await this.startAndWait(vm, signal);
          break;
        }
        case 'stop':
          await this.stopAndWait(vm, signal);
          break;
        case 'shutdown': {
          const t = opts.timeout ?? 60;
          await this.converge(vm, 'stopped', { shutdownTimeout: t, until: ['stopped', 'crashed', 'error'], timeoutMs: t * 1000 + STOP_GRACE_MS, what: 'shut down', signal });
          break;
        }
        case 'pause':
          await this.converge(vm, 'paused', { until: ['paused'], timeoutMs: STOP_GRACE_MS, what: 'pause', signal });
          break;
        case 'resume':
          await this.converge(vm, 'running', { until: ['running'], timeoutMs: STOP_GRACE_MS, what: 'resume', signal });
          break;
        case 'reboot':
          await this.d.hub.command(vm.node_id, 'vm.reboot', { vmId: vm.id }, { signal });
          break;
        case 'reset':
          await this.d.hub.command(vm.node_id, 'vm.reset', { vmId: vm.id }, { signal });
          break;
      }
      return { vmId: vm.id };
    });
  }
}
