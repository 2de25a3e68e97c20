import type { Group, GroupMember } from '@novacron/api';
import { col, shortTime, type Column } from '../../output';
import { formatBinding } from '../users/columns';

/** Columns of the group table. */
export const groupColumns: Column<Group>[] = [
  col('id', (g) => g.id),
  col('name', (g) => g.name),
  col('tenant', (g) => g.tenantId ?? '(global)'),
  col('members', (g) => g.members),
  col('roles', (g) => g.roles.map(formatBinding)),
  col('description', (g) => g.description),
];

/** Fields of one group. */
export function groupFields(g: Group): Array<[string, unknown]> {
  return [
    ['id', g.id],
    ['name', g.name],
    ['description', g.description],
    ['tenant', g.tenantId ?? '(global)'],
    ['members', g.members],
    ['roles', g.roles.map(formatBinding)],
    ['created', shortTime(g.createdAt)],
    ['updated', shortTime(g.updatedAt)],
  ];
}

/** Columns of the member table. */
export const memberColumns: Column<GroupMember>[] = [
  col('id', (m) => m.id),
  col('email', (m) => m.email),
  col('name', (m) => m.name),
  col('tenant', (m) => m.tenantId),
  col('disabled', (m) => m.disabled),
  col('added', (m) => shortTime(m.addedAt)),
];
