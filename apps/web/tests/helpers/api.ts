// Talks to the test control plane through the typed client, to arrange what a test needs (users, tenants, settings).
import type { RoleBinding } from '@novacron/api';
import { NovaCronClient } from '@novacron/client';
import { ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD, baseUrl } from './constants';

let seq = 0;

/** A unique email for a test account. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${++seq}@novacron.test`;
}

/** Signs in through the API; returns a client carrying the access token, and the token pair. */
export async function apiLogin(email: string, password: string, extra: { totp?: string } = {}) {
  const anon = new NovaCronClient({ baseUrl: baseUrl() });
  const result = await anon.call('auth.login', { body: { email, password, ...extra } });
  return { client: new NovaCronClient({ baseUrl: baseUrl(), token: result.accessToken }), result };
}

/** A client signed in as the test administrator. */
export async function adminApi(): Promise<NovaCronClient> {
  return (await apiLogin(ADMIN_EMAIL, ADMIN_PASSWORD)).client;
}

/** The id of a tenant by name, created when missing. */
export async function ensureTenant(admin: NovaCronClient, name: string): Promise<string> {
  const page = await admin.call('tenants.list', { query: { limit: 1000 } });
  const found = page.items.find((t) => t.name === name);
  if (found) return found.id;
  return (await admin.call('tenants.create', { body: { name } })).id;
}

/** Creates a user with a password and roles (by default `role` on the home tenant). */
export async function createUser(opts: { tenant?: string; role?: string; global?: boolean; email?: string; name?: string; password?: string } = {}) {
  const admin = await adminApi();
  const tenantId = await ensureTenant(admin, opts.tenant ?? 'default');
  const email = opts.email ?? uniqueEmail(opts.role ?? 'user');
  const roles: RoleBinding[] = opts.role ? [{ role: opts.role, tenantId: opts.global ? null : tenantId }] : [];
  const user = await admin.call('users.create', {
    body: { email, name: opts.name ?? `Test ${opts.role ?? 'user'}`, tenantId, password: opts.password ?? USER_PASSWORD, roles },
  });
  return { user, email, password: opts.password ?? USER_PASSWORD, tenantId };
}

/** Changes settings as the administrator. */
export async function patchSettings(body: Record<string, unknown>) {
  const admin = await adminApi();
  return admin.call('settings.update', { body: body as never });
}
