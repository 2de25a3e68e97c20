import { AUDIT_CSV_COLUMNS, type AuditEntry } from '@novacron/api';

// A spreadsheet runs a cell that starts with one of these as a formula (tab and CR are read the same way by some).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. A cell that a spreadsheet would
 * evaluate as a formula (audit fields carry user input: names, targets, emails) is prefixed with `'` so it shows as text.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The header record of the audit export. */
export const AUDIT_CSV_HEADER = csvRow(AUDIT_CSV_COLUMNS);

/** One audit entry as a CSV record, in the header's column order. */
export function auditCsvRow(e: AuditEntry): string {
  return csvRow(AUDIT_CSV_COLUMNS.map((c) => e[c]));
}
