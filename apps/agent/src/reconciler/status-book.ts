import type { VmEventType, VmStatus } from '@novacron/api';

/** A `vm.event` name. */
export type VmEventName = (typeof VmEventType.options)[number];

type StatusFields = Pick<VmStatus, 'state' | 'observedRevision' | 'pid' | 'accel' | 'error' | 'guest'>;

// A guest agent only speaks for a guest that runs: its report ends with the run.
const GUEST_STATES: ReadonlySet<VmStatus['state']> = new Set(['running', 'paused']);

/** The last status of every VM; reports a `vm.status` whenever something in it changes. */
export class StatusBook {
  private readonly statuses = new Map<string, VmStatus>();

  constructor(private readonly report: { status(status: VmStatus): void }) {}

  /** Merges `patch` into the VM's status and reports it if that changed anything (`since` moves with `state`). */
  set(vmId: string, patch: Partial<StatusFields>): void {
    const previous = this.statuses.get(vmId);
    const next: VmStatus = {
      vmId,
      state: patch.state ?? previous?.state ?? 'stopped',
      observedRevision: patch.observedRevision ?? previous?.observedRevision ?? 0,
      pid: patch.pid !== undefined ? patch.pid : (previous?.pid ?? null),
      accel: patch.accel !== undefined ? patch.accel : (previous?.accel ?? null),
      since: previous?.since ?? new Date().toISOString(),
      ...('error' in patch ? (patch.error ? { error: patch.error } : {}) : previous?.error ? { error: previous.error } : {}),
    };
    const guest = 'guest' in patch ? patch.guest : previous?.guest;
    if (guest && GUEST_STATES.has(next.state)) next.guest = guest;
    if (previous && previous.state !== next.state) next.since = new Date().toISOString();
    if (previous && same(previous, next)) return;
    this.statuses.set(vmId, next);
    this.report.status(next);
  }

  /** Every status. */
  all(): VmStatus[] {
    return [...this.statuses.values()];
  }

  /** Whether the VM has a status. */
  has(vmId: string): boolean {
    return this.statuses.has(vmId);
  }

  /** Ids with a status. */
  ids(): string[] {
    return [...this.statuses.keys()];
  }

  /** Drops a purged VM. */
  forget(vmId: string): void {
    this.statuses.delete(vmId);
  }
}

function same(a: VmStatus, b: VmStatus): boolean {
  return a.state === b.state && a.observedRevision === b.observedRevision && a.pid === b.pid && a.accel === b.accel
    && a.error?.code === b.error?.code && a.error?.message === b.error?.message && JSON.stringify(a.guest) === JSON.stringify(b.guest);
}
