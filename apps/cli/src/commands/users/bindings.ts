import { UsageError } from '../../exit-codes';

/** Parses `ROLE` (every tenant) or `ROLE@TENANT_ID` (one tenant). */
export function parseBinding(text: string): { role: string; tenantId: string | null } {
  const at = text.lastIndexOf('@');
  const role = at < 0 ? text : text.slice(0, at);
  const tenantId = at < 0 ? null : text.slice(at + 1);
  if (!role || tenantId === '') throw new UsageError(`role binding must be ROLE or ROLE@TENANT_ID, not ${text}`);
  return { role, tenantId };
}
