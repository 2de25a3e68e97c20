import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, loginAs, TEST_PASSWORD, type TestUser } from '../testing/test-users';
import { totpCode } from './totp';

describe('two-factor authentication', () => {
  let srv: TestServer;
  let u: TestUser;
  let secret: string;
  let recoveryCodes: string[];
  const clock = new ManualClock(new Date('2026-06-01T12:00:05Z'));
  const login = (extra: { totp?: string; recoveryCode?: string } = {}) =>
    srv.client().call('auth.login', { body: { email: u.email, password: TEST_PASSWORD, ...extra } });

  before(async () => {
    srv = await startTestServer({ clock });
    u = await createUser(srv, { tenant: 'acme', role: 'operator' });
  });
  after(() => srv.close());

  it('enrols: a secret and otpauth URI, inactive until confirmed with a current code', async () => {
    const enrol = await u.client.call('auth.totpEnroll');
    secret = enrol.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(enrol.otpauthUri, /^otpauth:\/\/totp\/NovaCron%3A.+\?secret=[A-Z2-7]{32}&issuer=NovaCron/);
    // Not yet active: password alone still signs in.
    await login();
    const row = await srv.services.identity.accounts.userById(u.user.id);
    assert.ok(row?.totp_secret && !row.totp_secret.includes(secret), 'the secret is sealed at rest');
    await expectProblem(u.client.call('auth.totpConfirm', { body: { code: totpCode(secret, new Date(clock.now().getTime() - 120_000)) } }), 'INVALID_TOTP', 401);
    const confirmed = await u.client.call('auth.totpConfirm', { body: { code: totpCode(secret, clock.now()) } });
    recoveryCodes = confirmed.recoveryCodes;
    assert.equal(recoveryCodes.length, 10);
    assert.equal((await u.client.call('auth.me')).totpEnabled, true);
    await expectProblem(u.client.call('auth.totpEnroll'), 'INVALID_STATE', 409);
  });

  it('asks for the code only after the password matched', async () => {
    await expectProblem(srv.client().call('auth.login', { body: { email: u.email, password: 'wrong password' } }), 'INVALID_CREDENTIALS');
    await expectProblem(login(), 'TOTP_REQUIRED', 401);
  });

  it('signs in with a TOTP code, which cannot be replayed', async () => {
    clock.advance(30);
    const code = totpCode(secret, clock.now());
    const ok = await login({ totp: code });
    assert.equal(ok.user.totpEnabled, true);
    await expectProblem(login({ totp: code }), 'INVALID_TOTP', 401);
    await expectProblem(login({ totp: '000000' === code ? '111111' : '000000' }), 'INVALID_TOTP');
    clock.advance(30);
    await login({ totp: totpCode(secret, clock.now()) });
    const audit = await srv.services.store.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.login').where('outcome', '=', 'success').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.details).factor, 'totp');
  });

  it('signs in with a recovery code exactly once', async () => {
    srv.services.identity.throttle.recordSuccess(u.email);
    const code = recoveryCodes[3];
    await login({ recoveryCode: ` ${code.toUpperCase()} ` });
    await expectProblem(login({ recoveryCode: code }), 'INVALID_TOTP', 401);
    await login({ recoveryCode: recoveryCodes[4] });
    await expectProblem(login({ recoveryCode: 'aaaaa-bbbbb' }), 'INVALID_TOTP');
    const audit = await srv.services.store.db.selectFrom('audit_log').select('details').where('action', '=', 'auth.login').where('outcome', '=', 'success').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(audit.details), { factor: 'recovery_code', recoveryCodesLeft: 8 });
  });

  it('counts wrong codes toward the account lockout', async () => {
    srv.services.identity.throttle.recordSuccess(u.email);
    for (let i = 0; i < 5; i++) await expectProblem(login({ totp: '999999' === totpCode(secret, clock.now()) ? '999998' : '999999' }), 'INVALID_TOTP');
    await expectProblem(login({ totp: totpCode(secret, clock.now()) }), 'ACCOUNT_LOCKED', 429);
    clock.advance(901);
  });

  it('enforces settings.require2fa: mustEnroll2fa, and only auth routes until enrolment', async () => {
    const admin = await srv.admin();
    await admin.client.call('settings.update', { body: { require2fa: true } });
    const other = await createUser(srv, { tenant: 'acme', role: 'operator' });
    assert.equal(other.user.mustEnroll2fa, true);
    assert.equal((await other.client.call('auth.me')).mustEnroll2fa, true);
    assert.equal((await srv.client().call('auth.config')).require2fa, true);
    await expectProblem(other.client.call('operations.list', { query: {} }), 'TOTP_ENROLLMENT_REQUIRED', 403);
    const enrol = await other.client.call('auth.totpEnroll');
    await other.client.call('auth.totpConfirm', { body: { code: totpCode(enrol.secret, clock.now()) } });
    await other.client.call('operations.list', { query: {} });
    assert.equal((await other.client.call('auth.me')).mustEnroll2fa, false);
    // Disabling is refused while the policy is on.
    await expectProblem(other.client.call('auth.totpDisable', { body: { password: TEST_PASSWORD } }), 'INVALID_STATE', 409);
    // The admin who switched the policy on is bound by it too, and must enrol before changing settings again.
    await expectProblem(admin.client.call('settings.update', { body: { require2fa: false } }), 'TOTP_ENROLLMENT_REQUIRED');
    const adminEnrol = await admin.client.call('auth.totpEnroll');
    await admin.client.call('auth.totpConfirm', { body: { code: totpCode(adminEnrol.secret, clock.now()) } });
    await admin.client.call('settings.update', { body: { require2fa: false } });
  });

  it('disables with the password only', async () => {
    clock.advance(60);
    const s = await login({ totp: totpCode(secret, clock.now()) });
    const client = srv.client(s.accessToken);
    await expectProblem(client.call('auth.totpDisable', { body: { password: 'wrong password' } }), 'INVALID_CREDENTIALS');
    await client.call('auth.totpDisable', { body: { password: TEST_PASSWORD } });
    assert.equal((await client.call('auth.me')).totpEnabled, false);
    await loginAs(srv, u.email);
  });
});
