import { ApiRequestError } from '@novacron/client';
import { CliError, ExitCode } from './exit-codes';
import type { ApiSession } from './session';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

// An id is tried first; only a NOT_FOUND falls through to a lookup by name.
async function exists(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get();
    return true;
  } catch (err) {
    if (err instanceof ApiRequestError && (err.code === 'NOT_FOUND' || err.code === 'VALIDATION_FAILED')) return false;
    throw err;
  }
}

function pick(what: string, ref: string, matches: Array<{ id: string; name: string }>): string {
  const exact = matches.filter((m) => m.name === ref);
  if (exact.length === 1) return exact[0].id;
  if (exact.length > 1) throw new CliError('AMBIGUOUS', `${exact.length} ${what}s are named ${ref}: use an id (${exact.map((m) => m.id).join(', ')})`);
  throw new CliError('NOT_FOUND', `no ${what} ${ref}`, ExitCode.NOT_FOUND);
}

/** A VM id from an id or a name (names are looked up exactly among the VMs you may see). */
export async function resolveVmId(api: ApiSession, ref: string): Promise<string> {
  if (ID.test(ref) && (await exists(() => api.call('vms.get', { params: { id: ref } })))) return ref;
  const page = await api.call('vms.list', { query: { text: ref.slice(0, 200), limit: 1000 } });
  return pick('VM', ref, page.items);
}

/** An image id from an id or a name. */
export async function resolveImageId(api: ApiSession, ref: string): Promise<string> {
  if (ID.test(ref) && (await exists(() => api.call('images.get', { params: { id: ref } })))) return ref;
  const page = await api.call('images.list', { query: { text: ref.slice(0, 200), limit: 1000 } });
  return pick('image', ref, page.items);
}
