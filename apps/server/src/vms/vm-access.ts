import { ApiError, type Permission } from '@novacron/api';
import { scopeOf, type Principal } from '../auth/principal';
import type { VmRow } from '../store/compute-schema';
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
