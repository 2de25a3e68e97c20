// One way to mutate through the API: typed by route id, invalidating the queries the change affects.
import type { RouteInput, RouteOutput } from '@novacron/api';
import type { RouteId, Routes } from '@novacron/client';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api } from '../client';

/** A mutation calling one route; on success every key in `invalidates` is refetched. */
export function useApiMutation<K extends RouteId>(id: K, invalidates: readonly QueryKey[] = []) {
  const qc = useQueryClient();
  return useMutation<RouteOutput<Routes[K]>, Error, RouteInput<Routes[K]>>({
    mutationFn: (input) => api.call(id, input),
    onSuccess: async () => {
      await Promise.all(invalidates.map((queryKey) => qc.invalidateQueries({ queryKey })));
    },
  });
}
