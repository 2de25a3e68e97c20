import type { Me } from '@novacron/api';
import { NovaCronClient } from '@novacron/client';
import { hashPassword } from '../auth/passwords';
import { ensureTenant } from '../auth/seed';
import type { TestServer } from './test-server';

/** The password test accounts get unless told otherwise (passes the default policy). */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A signed-in test account. */
export interface TestUser {
  /** The user as `/auth/me` shows them, with permissions. */
  user: Me;
  email: string;
  password: string;
  /** Access token (JWT). */
  token: string;
  refreshToken: string;
  /** A client sending the access token. */
  client: NovaCronClient;
  /** Id of the tenant the role was bound on (the home tenant). */
  tenantId: string;
}

let counter = 0;

/** What kind of account to make. */
export interface TestUserOptions {
  /** Home tenant name; created if missing. Default `default`. */
  tenant?: string;
  /** Role name bound on the tenant (or globally with `global`); none when omitted. */
  role?: string;
  /** Bind the role on every tenant instead of the home tenant. */
  global?: boolean;
  email?: string;
  password?: string;
  name?: string;
  emailVerified?: boolean;
}

/** Creates an account directly in the store (any tenant, any role) and signs it in over HTTP. For authorization matrices:
 * `await createUser(srv, { tenant: 'acme', role: 'operator' })`. */
export async function createUser(srv: TestServer, opts: TestUserOptions = {}): Promise<TestUser> {
  const { identity, clock } = srv.services;
  const tenant = await ensureTenant(identity.accounts, opts.tenant ?? 'default', clock);
  const bindings = [];
  if (opts.role) {
    const role = await identity.accounts.roleByNameOrId(opts.role);
    if (!role) throw new Error(`createUser: no role ${opts.role}`);
    bindings.push({ roleId: role.id, tenantId: opts.global ? null : tenant.id });
  }
  const email = opts.email ?? `user${++counter}-${process.pid}@test.novacron.local`;
  const password = opts.password ?? TEST_PASSWORD;
  await identity.create.create({
    email, name: opts.name ?? email.split('@')[0], passwordHash: await hashPassword(password), tenantId: tenant.id,
    emailVerified: opts.emailVerified ?? true, bindings,
  });
  return { ...(await loginAs(srv, email, password)), tenantId: tenant.id };
}

/** Signs an existing account in over HTTP. */
export async function loginAs(srv: TestServer, email: string, password = TEST_PASSWORD): Promise<Omit<TestUser, 'tenantId'> & { tenantId: string }> {
  const result = await srv.client().call('auth.login', { body: { email, password } });
  return {
    user: result.user, email, password, token: result.accessToken, refreshToken: result.refreshToken,
    client: srv.client(result.accessToken), tenantId: result.user.tenantId,
  };
}
