// The audit log: filtered pages and chain verification.
import type { z } from 'zod';
import type { AuditListQuery } from '@novacron/api';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';

/** Filters of the audit list as the page holds them. */
export type AuditFilters = Omit<z.input<typeof AuditListQuery>, 'cursor' | 'limit'>;

/** One page of audit entries. */
export function useAudit(filters: AuditFilters, cursor?: string, limit = 50) {
  return useQuery({
    queryKey: keys.audit.list({ ...filters, cursor, limit }),
    queryFn: () => api.call('audit.list', { query: { ...filters, cursor, limit } }),
    placeholderData: keepPreviousData,
  });
}

/** Recomputes the hash chain on demand (it reads the whole log, so never automatically). */
export function useAuditVerify() {
  return useMutation({ mutationFn: () => api.call('audit.verify') });
}

/** Every entry matching the filters, page by page (for CSV export), at most `max`. */
export async function fetchAllAudit(filters: AuditFilters, max = 100_000) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('audit.list', { query: { ...filters, cursor, limit: 1000 } });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}
