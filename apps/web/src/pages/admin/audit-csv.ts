import type { AuditEntry } from '@novacron/api';

const columns: (keyof AuditEntry)[] = ['seq', 'time', 'actorLabel', 'actorId', 'tenantId', 'action', 'target', 'outcome', 'ip', 'requestId', 'details', 'prevHash', 'hash'];

function cell(value: unknown): string {
  const s = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quote everything, double inner quotes; a leading = + - @ is defused so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The audit entries as RFC 4180 CSV with a header row. */
export function auditToCsv(entries: AuditEntry[]): string {
  return [columns.join(','), ...entries.map((e) => columns.map((c) => cell(e[c])).join(','))].join('\r\n') + '\r\n';
}

/** Offers a text as a file download. */
export function download(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
