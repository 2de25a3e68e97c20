// Async operations.
import type { z } from 'zod';
import type { OperationListQuery } from '@novacron/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** Filters of the operation list. */
export type OperationFilters = Omit<z.input<typeof OperationListQuery>, 'cursor'>;

/** One page of operations, newest first. Kept current by operation events, not by polling. */
export function useOperations(filters: OperationFilters, cursor?: string, enabled = true) {
  return useQuery({
    queryKey: keys.operations.list({ ...filters, cursor }),
    queryFn: () => api.call('operations.list', { query: { ...filters, cursor } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Cancels an operation. */
export const useCancelOperation = () => useApiMutation('operations.cancel', [keys.operations.all]);
