import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';
import { loginAs, TEST_PASSWORD } from '../testing/test-users';
import { ensureTenant } from './seed';

describe('registration', () => {
  let srv: TestServer;
  const register = (body: { email: string; password?: string; name?: string; inviteToken?: string }) =>
    srv.client().call('auth.register', { body: { password: TEST_PASSWORD, name: 'New User', ...body } });
  const setMode = async (registration: 'open' | 'invite' | 'closed') => {
    const admin = await srv.admin();
    await admin.client.call('settings.update', { body: { registration } });
  };
  const invite = async (email: string | null, role = 'operator') => {
    const { identity, clock } = srv.services;
    const tenant = await ensureTenant(identity.accounts, 'invited', clock);
    const roleRow = await identity.accounts.roleByNameOrId(role);
    const { token } = await identity.oneTime.issue('invite', { email, tenantId: tenant.id, roleId: roleRow!.id });
    return { token, tenantId: tenant.id };
  };
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  it('defaults to invite mode: no invite, no account', async () => {
    assert.equal((await srv.client().call('auth.config')).registration, 'invite');
    await expectProblem(register({ email: 'walkin@example.com' }), 'REGISTRATION_CLOSED', 403);
  });

  it('registers with an invite: the invite tenant and role, email verified, invite single-use', async () => {
    const { token, tenantId } = await invite('Invited@example.com');
    await expectProblem(register({ email: 'someone-else@example.com', inviteToken: token }), 'INVALID_TOKEN', 400);
    await expectProblem(register({ email: 'invited@example.com', inviteToken: token, password: 'short' }), 'WEAK_PASSWORD', 400);
    const user = await register({ email: 'invited@example.com', inviteToken: token });
    assert.equal(user.tenantId, tenantId);
    assert.equal(user.emailVerified, true);
    const me = await loginAs(srv, 'invited@example.com');
    assert.ok(me.user.permissions.tenants[tenantId].includes('vm:write'));
    assert.deepEqual(me.user.permissions.global, []);
    await expectProblem(register({ email: 'again@example.com', inviteToken: token }), 'INVALID_TOKEN');
    const audit = await srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.register').where('outcome', '=', 'success').execute();
    assert.equal(audit.at(-1)!.actor_label, 'invited@example.com');
  });

  it('registers anyone in open mode, into the default tenant with no roles', async () => {
    await setMode('open');
    const user = await register({ email: 'open@example.com' });
    assert.equal(user.emailVerified, false);
    const me = await loginAs(srv, 'open@example.com');
    assert.deepEqual(me.user.permissions, { global: [], tenants: {} });
    await expectProblem(me.client.call('operations.list', { query: {} }), 'FORBIDDEN', 403);
    await expectProblem(register({ email: 'OPEN@example.com' }), 'ALREADY_EXISTS', 409);
    await expectProblem(register({ email: 'x@example.com', password: 'short' }), 'WEAK_PASSWORD');
    await expectProblem(srv.client().call('auth.register', { body: { email: 'y@example.com', password: TEST_PASSWORD, name: 'Y', role: 'admin' } as never }), 'VALIDATION_FAILED');
  });

  it('refuses everyone in closed mode, but honours an invitation', async () => {
    await setMode('closed');
    await expectProblem(register({ email: 'closed@example.com' }), 'REGISTRATION_CLOSED', 403);
    const { token } = await invite('closed-invited@example.com', 'viewer');
    await register({ email: 'closed-invited@example.com', inviteToken: token });
  });

  it('applies the password policy from settings and names what fails', async () => {
    await setMode('open');
    const admin = await srv.admin();
    await admin.client.call('settings.update', { body: { passwordPolicy: { minLength: 14, requireDigit: true, requireSymbol: true } } });
    const err = await expectProblem(register({ email: 'policy@example.com', password: 'abcdefghijklmn' }), 'WEAK_PASSWORD');
    assert.match(err.message, /a digit, a symbol/);
    await register({ email: 'policy@example.com', password: 'abcdefghijkl3!' });
    await admin.client.call('settings.update', { body: { passwordPolicy: { minLength: 12, requireDigit: false, requireSymbol: false } } });
  });
});
