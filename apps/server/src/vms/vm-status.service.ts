import { ApiError, type VmEventMessage, type VmStatus } from '@novacron/api';
import { EventEmitter } from 'node:events';
import type { EventBus } from '../events/event-bus';
import type { Clock } from '../lib/clock';
import type { VmRow, VmStatusRow } from '../store/compute-schema';
import type { VmRepository } from './vm.repository';

const UP = new Set(['starting', 'running', 'paused', 'stopping']);
const ENDED = new Set(['stopped', 'crashed']);

/** The lifecycle event a state change means, if any. */
export function transitionEvent(from: string | undefined, to: string): string | null {
  if (from === to) return null;
  switch (to) {
    case 'running':
      return from === 'paused' ? 'vm.resumed' : 'vm.started';
    case 'paused':
      return 'vm.paused';
    case 'stopped':
      return 'vm.stopped';
    case 'crashed':
      return 'vm.crashed';
    case 'error':
      return 'vm.error';
    default:
      return null;
  }
}

/** Whether the node will start a VM again by itself after it ended this way. */
export function restartsByPolicy(policy: string, ended: string): boolean {
  return policy === 'always' || (policy === 'on-failure' && ended === 'crashed');
}

function same(a: VmStatusRow, b: VmStatusRow): boolean {
  return a.state === b.state && Number(a.observed_revision) === Number(b.observed_revision) && (a.pid === null ? null : Number(a.pid)) === b.pid
    && a.accel === b.accel && a.error_code === b.error_code && a.error_message === b.error_message && a.guest === b.guest;
}

/** Applies what agents observe to VM status rows (never to specs, except the restart-policy rule), publishes lifecycle events, wakes waiters. */
export class VmStatusService {
  private readonly changes = new EventEmitter();

  constructor(
    private readonly repo: VmRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly pushDesired: (nodeId: string) => Promise<void>,
  ) {
    this.changes.setMaxListeners(0);
  }

  /** Publishes a VM event to holders of vm:read on its tenant. */
  publish(type: string, vm: Pick<VmRow, 'id' | 'name' | 'tenant_id' | 'node_id'>, data: Record<string, unknown> = {}): void {
    this.events.publish({ type, tenantId: vm.tenant_id, permission: 'vm:read', resource: `/api/v1/vms/${vm.id}`, data: { id: vm.id, name: vm.name, nodeId: vm.node_id, ...data } });
  }

  /** One status report of a node. Reports about VMs the node does not hold are ignored. */
  async apply(nodeId: string, st: VmStatus): Promise<void> {
    const vm = await this.repo.get(st.vmId, 'all');
    if (!vm || vm.node_id !== nodeId || vm.phase !== 'ready') return;
    const cur = await this.repo.status(vm.id);
    const next: VmStatusRow = {
      vm_id: vm.id, state: st.state, observed_revision: st.observedRevision, pid: st.pid, accel: st.accel, since: st.since,
      error_code: st.error?.code ?? null, error_message: st.error?.message ?? null, guest: st.guest ? JSON.stringify(st.guest) : null,
      updated_at: this.clock.now().toISOString(),
    };
    // "crashed" stays visible (with its error) until the VM runs again, even once the node reports it plainly stopped.
    if (cur?.state === 'crashed' && next.state === 'stopped') {
      Object.assign(next, { state: 'crashed', since: cur.since, error_code: cur.error_code, error_message: cur.error_message });
    }
    if (cur && same(cur, next)) return;
    await this.repo.writeStatus(next);
    this.changes.emit(vm.id, next);
    const event = transitionEvent(cur?.state, next.state);
    if (!event) return;
    this.publish(event, vm, { state: next.state, previousState: cur?.state ?? null, ...(next.error_code ? { error: { code: next.error_code, message: next.error_message } } : {}) });
    if (ENDED.has(next.state) && Number(vm.pending_restart)) await this.repo.updateSpec(vm.id, { pending_restart: 0 }, false);
    // A VM that was up and ended on its own while meant to run, and that its policy does not restart, is now meant to be
    // stopped: desired state follows, so it neither restarts later by surprise nor shows as "should be running".
    const endedOnItsOwn = cur && UP.has(cur.state) && ENDED.has(next.state) && vm.power_state === 'running' && Number(next.observed_revision) >= Number(vm.revision);
    if (endedOnItsOwn && !restartsByPolicy(vm.restart_policy, next.state)) {
      await this.repo.updateSpec(vm.id, { power_state: 'stopped', updated_at: this.clock.now().toISOString() }, true);
      await this.pushDesired(nodeId);
    }
  }

  /** Agent events that are not state changes (reset, guest shutdown, restart by policy, hotplug, ...) become `vm.<event>`. */
  async applyEvent(nodeId: string, msg: VmEventMessage): Promise<void> {
    const vm = await this.repo.get(msg.vmId, 'all');
    if (!vm || vm.node_id !== nodeId) return;
    if (['started', 'stopped', 'crashed', 'paused', 'resumed'].includes(msg.event)) return; // published from the state change
    this.publish(`vm.${msg.event}`, vm, { detail: msg.detail, time: msg.time });
  }

  /**
   * Resolves with the status once `check` says it is reached (`true`), rejects when `check` returns an error, when the
   * timeout passes or when `signal` aborts. Waiters are registered before the current status is read, so no report is missed.
   */
  waitFor(vmId: string, check: (s: VmStatusRow) => boolean | Error, timeoutMs: number, what: string, signal?: AbortSignal): Promise<VmStatusRow> {
    return new Promise((resolve, reject) => {
      let finished = false;
      const finish = (fn: () => void) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.changes.off(vmId, onChange);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onChange = (s: VmStatusRow) => {
        const r = check(s);
        if (r === true) finish(() => resolve(s));
        else if (r instanceof Error) finish(() => reject(r));
      };
      const onAbort = () => finish(() => reject(new ApiError('OPERATION_CANCELLED', 'cancelled')));
      const timer = setTimeout(() => finish(() => reject(new ApiError('NODE_TIMEOUT', `the VM did not ${what} within ${Math.round(timeoutMs / 1000)} s`))), timeoutMs);
      this.changes.on(vmId, onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.repo.status(vmId).then((s) => s && onChange(s), (err) => finish(() => reject(err)));
    });
  }
}
