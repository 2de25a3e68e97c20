import assert from 'node:assert/strict';
import { ApiRequestError } from '@novacron/client';
import type { Permission } from '@novacron/api';
import { newId } from '../lib/ids';
import type { TestServer } from '../testing/test-server';
import { createUser, type TestUser, type TestUserOptions } from '../testing/test-users';

/** Asserts that a call fails with this status and code (for the administration tests). */
export async function fails(call: Promise<unknown>, status: number, code: string): Promise<ApiRequestError> {
  let caught: unknown;
  try {
    await call;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ApiRequestError, `expected ${status} ${code}, got ${caught ? String(caught) : 'success'}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.status, status, caught.message);
  return caught;
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
