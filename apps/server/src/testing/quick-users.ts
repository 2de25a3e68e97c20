import { hashPassword } from '../auth/passwords';
import { newId } from '../lib/ids';
import type { TestServer } from './test-server';
import { TEST_PASSWORD } from './test-users';

let sharedHash: Promise<string> | null = null;

/** A user made straight in the store and signed in without HTTP: for suites that need dozens (matrix, fuzz). */
export interface QuickUser {
  userId: string;
  email: string;
  token: string;
}

/**
 * Creates a user with the given role bindings and starts a session for it directly. One argon2 hash is shared by every
 * quick user (hashing dominates on a loaded machine); the password is TEST_PASSWORD, so `loginAs` works too.
 */
export async function quickUser(srv: TestServer, tenantId: string, bindings: { roleId: string; tenantId: string | null }[]): Promise<QuickUser> {
  const { identity } = srv.services;
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const email = `quick-${newId()}@test.novacron.local`;
  const user = await identity.create.create({ email, name: 'Quick', passwordHash: await sharedHash, tenantId, emailVerified: true, bindings });
  const pair = await identity.sessions.start(user, { ip: '127.0.0.1', userAgent: 'quick-user' });
  return { userId: user.id, email, token: pair.accessToken };
}

/** Creates a custom role straight in the store; answers its id. */
export async function quickRole(srv: TestServer, name: string, permissions: readonly string[]): Promise<string> {
  const now = srv.services.clock.now().toISOString();
  const id = newId();
  await srv.services.identity.accounts.insertRole({ id, name, description: '', permissions: JSON.stringify(permissions), builtin: 0, created_at: now, updated_at: now });
  return id;
}
