import type { OutputFormat } from './args';

/** One column of a table: a header and how to get the cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** What a command produced. `data` is the raw API JSON printed by `--output json`; the rest is for humans. */
export type Result = (
  | { kind: 'table'; data: unknown; rows: unknown[]; columns: Column<never>[] }
  | { kind: 'record'; data: unknown; fields: Array<[string, unknown]> }
  | { kind: 'text'; data: unknown; text: string }
) & {
  /** A hint for people, printed on stderr in table mode (for example the next page's cursor). */
  note?: string;
  /** Printed after the result and turned into the exit code: the call worked but the outcome is a failure (a failed operation). */
  failure?: Error;
};

/** A table result over rows of one type. */
export function table<T>(data: unknown, rows: T[], columns: Column<T>[], note?: string): Result {
  return { kind: 'table', data, rows, columns: columns as Column<never>[], note };
}

/** A key/value result; nested objects are flattened to dotted keys. */
export function record(data: unknown, fields?: Array<[string, unknown]>, note?: string): Result {
  return { kind: 'record', data, fields: fields ?? flatten(data), note };
}

/** A one-line message result (json output still prints `data`). */
export function text(data: unknown, message: string): Result {
  return { kind: 'text', data, text: message };
}

/** A timestamp for tables: `2026-12-01 10:00:00`, in UTC like the API. */
export function shortTime(value: unknown): unknown {
  return typeof value === 'string' ? value.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : value;
}

/** Shorthand for a column. */
export function col<T>(header: string, value: (row: T) => unknown): Column<T> {
  return { header, value };
}

/** Flattens an object to `[dotted.key, value]` pairs; arrays stay whole. */
export function flatten(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix || 'value', value]];
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) out.push(...flatten(v, key));
    else out.push([key, v]);
  }
  return out;
}

// Server data is untrusted: a name holding terminal escape sequences must not reach the terminal as such.
function sanitize(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Formats one cell: `-` for nothing, lists comma-separated, objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.map(formatValue).join(',') : '-';
  if (typeof value === 'object') return sanitize(JSON.stringify(value));
  return sanitize(String(value));
}

function width(s: string): number {
  return [...s].length;
}

/** Renders rows as aligned columns separated by two spaces, headers in capitals. */
export function formatTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = [columns.map((c) => c.header.toUpperCase()), ...rows.map((r) => columns.map((c) => formatValue(c.value(r))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => width(line[i]))));
  return cells
    .map((line) => line.map((cell, i) => (i === line.length - 1 ? cell : cell + ' '.repeat(widths[i] - width(cell)))).join('  ').trimEnd())
    .join('\n');
}

/** Renders key/value pairs, keys aligned. */
export function formatRecord(fields: Array<[string, unknown]>): string {
  const w = Math.max(0, ...fields.map(([k]) => width(k)));
  return fields.map(([k, v]) => `${k}:${' '.repeat(w - width(k) + 1)}${formatValue(v)}`).join('\n');
}

/** The text a result prints on stdout in the given format (empty when there is nothing to print). */
export function render(result: Result, format: OutputFormat): string {
  if (format === 'json') return result.data === undefined ? '' : `${JSON.stringify(result.data, null, 2)}\n`;
  switch (result.kind) {
    case 'table':
      return `${formatTable(result.rows as never[], result.columns)}\n`;
    case 'record':
      return `${formatRecord(result.fields)}\n`;
    case 'text':
      return result.text ? `${sanitize(result.text)}\n` : '';
  }
}
