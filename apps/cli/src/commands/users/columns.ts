import type { AdminUser, RoleBinding } from '@novacron/api';
import { col, shortTime, type Column } from '../../output';

/** `operator@TENANT` or `admin` (global), as the CLI shows and reads role bindings. */
export function formatBinding(b: RoleBinding): string {
  return b.tenantId ? `${b.role}@${b.tenantId}` : b.role;
}

/** Columns of the user table. */
export const userColumns: Column<AdminUser>[] = [
  col('id', (u) => u.id),
  col('email', (u) => u.email),
  col('name', (u) => u.name),
  col('tenant', (u) => u.tenantId),
  col('roles', (u) => u.roles.map(formatBinding)),
  col('disabled', (u) => u.disabled),
  col('2fa', (u) => u.totpEnabled),
  col('last login', (u) => shortTime(u.lastLoginAt)),
];

/** Fields of one user. */
export function userFields(u: AdminUser): Array<[string, unknown]> {
  return [
    ['id', u.id],
    ['email', u.email],
    ['name', u.name],
    ['tenant', u.tenantId],
    ['roles', u.roles.map(formatBinding)],
    ['disabled', u.disabled],
    ['email verified', u.emailVerified],
    ['2fa', u.totpEnabled],
    ['created', shortTime(u.createdAt)],
    ['last login', shortTime(u.lastLoginAt)],
  ];
}
