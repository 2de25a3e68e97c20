// Disks, NICs and the operations they start. Each answer is a 202 with an operation; the operation's events (whose
// `resources` name the VM) refetch the VM when it ends, so the tables follow without polling.
import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

const vmKeys = [keys.vms.all, keys.operations.all];
/** Adds a disk (a new volume, an existing volume or an image). */
export const useAttachDisk = () => useApiMutation('vms.disks.attach', vmKeys);
/** Removes a disk; its volume is kept. */
export const useDetachDisk = () => useApiMutation('vms.disks.detach', vmKeys);
/** Adds a NIC. */
export const useAttachNic = () => useApiMutation('vms.nics.attach', vmKeys);
/** Removes a NIC. */
export const useDetachNic = () => useApiMutation('vms.nics.detach', vmKeys);

/** One operation, kept current by its `operation.updated` events (they invalidate its detail key). */
export function useOperation(id: string | null) {
  return useQuery({
    queryKey: keys.operations.detail(id ?? ''),
    queryFn: () => api.call('operations.get', { params: { id: id! } }),
    enabled: Boolean(id),
  });
}
