import { expectProblem } from '../testing/expect-problem';
import type { ApiRequestError } from '@novacron/client';
import type { Permission } from '@novacron/api';
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
