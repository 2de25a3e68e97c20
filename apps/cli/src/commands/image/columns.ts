import type { Image } from '@novacron/api';
import { col, shortTime, type Column } from '../../output';

/** `1.5 GiB`, `300 MiB`, `12 KiB`: sizes for people. */
export function formatBytes(n: number | null): string | null {
  if (n === null) return null;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 10 ? 0 : 1)} ${units[i]}`;
}

/** Columns of the image table. */
export const imageColumns: Column<Image>[] = [
  col('id', (i) => i.id),
  col('name', (i) => i.name),
  col('kind', (i) => i.kind),
  col('format', (i) => i.format),
  col('status', (i) => i.status),
  col('size', (i) => formatBytes(i.sizeBytes)),
  col('source', (i) => i.source.type),
  col('created', (i) => shortTime(i.createdAt)),
];

/** Fields of one image. */
export function imageFields(i: Image): Array<[string, unknown]> {
  return [
    ['id', i.id],
    ['name', i.name],
    ['kind', i.kind],
    ['format', i.format],
    ['status', i.status],
    ['size', formatBytes(i.sizeBytes)],
    ['virtual size', formatBytes(i.virtualSizeBytes)],
    ['sha256', i.sha256],
    ['tenant', i.tenantId],
    ['node', i.nodeId],
    ['source', `${i.source.type}: ${i.source.detail}`],
    ['error', i.error],
    ['created', shortTime(i.createdAt)],
  ];
}
