import { expectProblem } from '../testing/expect-problem';
import type { ApiRequestError } from '@novacron/client';
import type { Permission, Tenant } from '@novacron/api';
import { newId } from '../lib/ids';
import type { TestServer } from '../testing/test-server';
import { createUser, type TestUser, type TestUserOptions } from '../testing/test-users';

/** Asserts that a call fails with this status and code (argument order of the administration tests). */
export function fails(call: Promise<unknown>, status: number, code: string): Promise<ApiRequestError> {
  return expectProblem(call, code, status);
}

/** Creates (once) a custom role with these permissions via the store and signs a user in with it. */
export async function userWithPermissions(
  srv: TestServer,
  roleName: string,
  perms: readonly Permission[],
  opts: Omit<TestUserOptions, 'role'> = {},
): Promise<TestUser> {
  const accounts = srv.services.identity.accounts;
  if (!(await accounts.roleByNameOrId(roleName))) {
    const now = srv.services.clock.now().toISOString();
    await accounts.insertRole({
      id: newId(), name: roleName, description: 'test role', permissions: JSON.stringify(perms), builtin: 0, created_at: now, updated_at: now,
    });
  }
  return createUser(srv, { ...opts, role: roleName });
}

/**
 * Two tenants, `acme` and `globex`, each with a tenant admin (the built-in admin role bound on that tenant only: the
 * global-only permissions do not apply there), next to the global admin.
 */
export async function twoTenantsWithAdmins(srv: TestServer): Promise<{ admin: TestUser; acme: Tenant; globex: Tenant; acmeAdmin: TestUser; globexAdmin: TestUser }> {
  const admin = await srv.admin();
  const acme = await admin.client.call('tenants.create', { body: { name: 'acme' } });
  const globex = await admin.client.call('tenants.create', { body: { name: 'globex' } });
  return { admin, acme, globex, acmeAdmin: await createUser(srv, { tenant: 'acme', role: 'admin' }), globexAdmin: await createUser(srv, { tenant: 'globex', role: 'admin' }) };
}
