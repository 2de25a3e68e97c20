// The audit log: filtered pages, chain verification and the CSV export.
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

/**
 * The server's CSV export of every entry matching the filters (`GET /api/v1/audit/export`: quoting and the formula guard are
 * the server's), as a Blob with the file name the server suggests.
 */
export async function exportAuditCsv(filters: AuditFilters): Promise<{ name: string; blob: Blob }> {
  const res = await api.fetchRoute('audit.export', { query: filters });
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'novacron-audit.csv';
  return { name, blob: await res.blob() };
}
