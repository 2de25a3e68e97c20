// Disks, NICs and the operations they start. Each answer is a 202 with an operation; the operation's events (whose
// `resources` name the VM) refetch the VM when it ends, so the tables follow without polling.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
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

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** One operation, kept current by its `operation.updated` events (they invalidate its detail key, which shows progress).
 * Until it ends, a long-poll on `/wait` also runs: the end is seen even when the events socket is down or reconnecting. */
export function useOperation(id: string | null) {
  const qc = useQueryClient();
  const query = useQuery({
    queryKey: keys.operations.detail(id ?? ''),
    queryFn: () => api.call('operations.get', { params: { id: id! } }),
    enabled: Boolean(id),
  });
  const ended = query.data ? TERMINAL.includes(query.data.status) : false;
  useEffect(() => {
    if (!id || ended) return;
    let stopped = false;
    void (async () => {
      while (!stopped) {
        try {
          const op = await api.call('operations.wait', { params: { id }, query: { timeout: 25 } });
          if (!stopped && TERMINAL.includes(op.status)) {
            qc.setQueryData(keys.operations.detail(id), op);
            return;
          }
        } catch {
          // The query shows the error; retry the long-poll calmly.
          await new Promise((r) => setTimeout(r, 3000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [id, ended, qc]);
  return query;
}
