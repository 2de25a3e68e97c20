// VM power actions: which apply in which state, and one call for each.
import type { Vm } from '@novacron/api';
import { api } from '../../api/client';

/** A power action of the VM API. */
export type VmAction = 'start' | 'shutdown' | 'stop' | 'reboot' | 'reset' | 'pause' | 'resume';

/** Labels of the actions. */
export const actionLabel: Record<VmAction, string> = {
  start: 'Start', shutdown: 'Shut down', stop: 'Stop', reboot: 'Reboot', reset: 'Reset', pause: 'Pause', resume: 'Resume',
};

/** Why an action does not apply to a VM in its state, or null when it does. */
export function actionBlocked(vm: Pick<Vm, 'state'> & Partial<Pick<Vm, 'isTemplate'>>, action: VmAction): string | null {
  const s = vm.state;
  if (action === 'start' && vm.isTemplate) return 'A template cannot be started: clone it to run it.';
  const ok: Record<VmAction, Vm['state'][]> = {
    start: ['stopped', 'crashed', 'error'],
    shutdown: ['running'],
    stop: ['running', 'paused', 'starting', 'stopping'],
    reboot: ['running'],
    reset: ['running'],
    pause: ['running'],
    resume: ['paused'],
  };
  return ok[action].includes(s) ? null : `Not possible while the VM is ${s}.`;
}

/** Why a VM cannot be cloned now, or null when it can (the source must be stopped; templates always are). */
export function cloneBlocked(vm: Pick<Vm, 'state'>): string | null {
  return ['stopped', 'crashed'].includes(vm.state) ? null : `Stop the VM to clone it (it is ${vm.state}).`;
}

/** Why disks and NICs cannot be changed now (between states), or null when they can (live when running). */
export function hotplugBlocked(vm: Pick<Vm, 'state'>): string | null {
  return ['stopped', 'crashed', 'running', 'paused'].includes(vm.state) ? null : `Not possible while the VM is ${vm.state}: wait until it runs or stops.`;
}

/** Runs a power action; answers the operation. */
export function runVmAction(id: string, action: VmAction) {
  switch (action) {
    case 'start': return api.call('vms.start', { params: { id } });
    case 'shutdown': return api.call('vms.shutdown', { params: { id } });
    case 'stop': return api.call('vms.stop', { params: { id } });
    case 'reboot': return api.call('vms.reboot', { params: { id } });
    case 'reset': return api.call('vms.reset', { params: { id } });
    case 'pause': return api.call('vms.pause', { params: { id } });
    case 'resume': return api.call('vms.resume', { params: { id } });
  }
}

/** Badge colours of VM states. */
export const stateColor: Record<Vm['state'], string> = {
  creating: 'gray', stopped: 'gray', starting: 'yellow', running: 'green', paused: 'blue', stopping: 'yellow', crashed: 'red', error: 'red',
};

/** Memory for people. */
export function formatMiB(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}
