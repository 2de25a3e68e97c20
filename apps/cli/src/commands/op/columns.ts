import type { Operation } from '@novacron/api';
import { col, shortTime, type Column } from '../../output';

/** Columns of the operation table. */
export const operationColumns: Column<Operation>[] = [
  col('id', (o) => o.id),
  col('kind', (o) => o.kind),
  col('status', (o) => o.status),
  col('progress', (o) => `${o.progress}%`),
  col('resources', (o) => o.resources),
  col('created', (o) => shortTime(o.createdAt)),
  col('error', (o) => (o.error ? `${o.error.code}: ${o.error.message}` : null)),
];

/** Fields of one operation. */
export function operationFields(o: Operation): Array<[string, unknown]> {
  return [
    ['id', o.id],
    ['kind', o.kind],
    ['status', o.status],
    ['progress', `${o.progress}%`],
    ['may cancel', o.mayCancel],
    ['tenant', o.tenantId],
    ['resources', o.resources],
    ['result', o.result],
    ['error', o.error ? `${o.error.code}: ${o.error.message}` : null],
    ['created by', o.createdBy],
    ['created', shortTime(o.createdAt)],
    ['updated', shortTime(o.updatedAt)],
  ];
}
