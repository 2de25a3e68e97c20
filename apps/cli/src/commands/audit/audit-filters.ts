import { stringFlag } from '../../args';
import type { FlagSpec, FlagValues } from '../../registry';

/** The filters `audit list` and `audit export` share (the API's audit query without paging). */
export const auditFilterFlags: Record<string, FlagSpec> = {
  actor: { type: 'string', value: 'ID|EMAIL', description: 'Only entries by this actor' },
  action: { type: 'string', value: 'PREFIX', description: 'Only actions starting with PREFIX (users. matches users.create, ...)' },
  tenant: { type: 'string', value: 'TENANT_ID', description: 'Only entries of this tenant' },
  target: { type: 'string', value: 'ID', description: 'Only entries about this target' },
  outcome: { type: 'string', value: 'OUTCOME', description: 'success, failure or denied' },
  since: { type: 'string', value: 'TIME', description: 'Entries at or after this ISO-8601 time (2026-12-01T00:00:00Z)' },
  until: { type: 'string', value: 'TIME', description: 'Entries before this ISO-8601 time' },
};

/** The filter flags that were given, as query parameters. */
export function auditFilters(flags: FlagValues): Record<string, string> {
  return Object.fromEntries(Object.keys(auditFilterFlags).flatMap((k) => {
    const value = stringFlag(flags, k);
    return value === undefined ? [] : [[k, value]];
  }));
}
