import { ApiError, type Permission } from '@novacron/api';
import { scopeOf, type Principal } from '../auth/principal';
import type { VmRow } from '../store/compute-schema';
import type { StorageRepository } from '../storage/storage.repository';
import type { VmRepository } from './vm.repository';

/** A VM the principal holds `permission` on; anything else does not exist for them (404). */
export async function vmFor(repo: VmRepository, p: Principal, id: string, permission: Permission): Promise<VmRow> {
  const row = await repo.get(id, scopeOf(p, permission));
  if (!row) throw new ApiError('NOT_FOUND', `VM ${id} not found`);
  return row;
}

/** Refuses work on a VM whose create or delete is still running. */
export function assertReady(vm: VmRow): void {
  if (vm.phase === 'creating') throw new ApiError('INVALID_STATE', `VM ${vm.name} is still being created`);
  if (vm.phase === 'deleting') throw new ApiError('INVALID_STATE', `VM ${vm.name} is being deleted`);
}

/** Refuses to run a template: its disks back linked clones, and a running VM would write them under the clones. */
export function assertNotTemplate(vm: VmRow): void {
  if (Number(vm.is_template)) throw new ApiError('INVALID_STATE', `VM ${vm.name} is a template: clone it to run it`);
}

/**
 * Refuses `doing` (something that writes the VM's disks: starting it, reverting a snapshot) while one of its writable
 * volumes backs linked clones: a clone reads every block it has not written itself from that volume.
 */
export async function assertNoLinkedClones(vm: VmRow, repo: VmRepository, storage: StorageRepository, doing: string): Promise<void> {
  for (const disk of await repo.disks([vm.id])) {
    if (!disk.volume_id || Number(disk.readonly)) continue;
    const clones = await storage.overlaysOf(disk.volume_id);
    if (clones) {
      throw new ApiError('IN_USE', `cannot ${doing} VM ${vm.name}: its volume ${disk.volume_id} backs ${clones} linked clone(s), which would see it change (make the VM a template, or delete the clones)`);
    }
  }
}
