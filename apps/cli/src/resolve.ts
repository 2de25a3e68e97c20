import type { Role, Tenant } from '@novacron/api';
import { ApiRequestError } from '@novacron/client';
import { CliError, ExitCode } from './exit-codes';
import type { ApiSession } from './session';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function notFound(what: string, ref: string): CliError {
  return new CliError('NOT_FOUND', `no ${what} ${ref}`, ExitCode.NOT_FOUND);
}

async function byIdOrNull<T>(ref: string, get: (id: string) => Promise<T>): Promise<T | null> {
  if (!ID.test(ref)) return null;
  try {
    return await get(ref);
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

/** A user id from an id or an email address (emails are looked up exactly, case-insensitively). */
export async function resolveUserId(api: ApiSession, ref: string): Promise<string> {
  if (!ref.includes('@')) return ref;
  const page = await api.call('users.list', { query: { text: ref, limit: 1000 } });
  const user = page.items.find((u) => u.email.toLowerCase() === ref.toLowerCase());
  if (!user) throw notFound('user', ref);
  return user.id;
}

/** A tenant from its id or its name. */
export async function resolveTenant(api: ApiSession, ref: string): Promise<Tenant> {
  const byId = await byIdOrNull(ref, (id) => api.call('tenants.get', { params: { id } }));
  if (byId) return byId;
  const page = await api.call('tenants.list', { query: { text: ref, limit: 1000 } });
  const tenant = page.items.find((t) => t.name === ref);
  if (!tenant) throw notFound('tenant', ref);
  return tenant;
}

/** A role from its id or its name. */
export async function resolveRole(api: ApiSession, ref: string): Promise<Role> {
  const byId = await byIdOrNull(ref, (id) => api.call('roles.get', { params: { id } }));
  if (byId) return byId;
  let cursor: string | undefined;
  do {
    const page = await api.call('roles.list', { query: { limit: 1000, cursor } });
    const role = page.items.find((r) => r.name === ref);
    if (role) return role;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  throw notFound('role', ref);
}
