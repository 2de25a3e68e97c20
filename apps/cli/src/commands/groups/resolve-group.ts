import type { Group } from '@novacron/api';
import { ApiRequestError } from '@novacron/client';
import { CliError, ExitCode } from '../../exit-codes';
import type { ApiSession } from '../../session';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A group from its id or its name; a name used by several tenants' groups needs the id (or `tenant` to pick). */
export async function resolveGroup(api: ApiSession, ref: string, tenant?: string): Promise<Group> {
  if (ID.test(ref) && !tenant) {
    try {
      return await api.call('groups.get', { params: { id: ref } });
    } catch (err) {
      if (!(err instanceof ApiRequestError && err.code === 'NOT_FOUND')) throw err;
    }
  }
  const found: Group[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('groups.list', { query: { name: ref, tenant, limit: 1000, cursor } });
    found.push(...page.items.filter((g) => g.name === ref));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (found.length === 0) throw new CliError('NOT_FOUND', `no group ${ref}`, ExitCode.NOT_FOUND);
  if (found.length > 1) {
    throw new CliError('AMBIGUOUS', `${found.length} groups are named ${ref} (tenants ${found.map((g) => g.tenantId ?? '(global)').join(', ')}): use the id or --tenant`, ExitCode.USAGE);
  }
  return found[0];
}
