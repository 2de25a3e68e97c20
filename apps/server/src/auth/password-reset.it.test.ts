import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from '../testing/expect-problem';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../testing/smtp-sink';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, loginAs, TEST_PASSWORD } from '../testing/test-users';

const PUBLIC_URL = 'https://novacron.example.com';

function tokenFrom(mail: ReceivedMail, page: string): string {
  const match = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}/${page}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  assert.ok(match, `no ${page} link in:\n${mail.text}`);
  return match[1];
}

describe('mail: password reset, email verification, test email (real SMTP)', () => {
  let srv: TestServer;
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
    srv = await startTestServer();
    const admin = await srv.admin();
    await admin.client.call('settings.update', {
      body: { publicUrl: PUBLIC_URL, smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'NovaCron <noreply@example.com>' } },
    });
  });
  after(async () => {
    await srv.close();
    await smtp.close();
  });

  it('settings.testEmail delivers through the configured SMTP server', async () => {
    const admin = await srv.admin();
    await admin.client.call('settings.testEmail', { body: { to: 'ops@example.com' } });
    const mail = await smtp.next((m) => m.to.includes('ops@example.com'));
    assert.equal(mail.subject, 'NovaCron test email');
    assert.equal(mail.from, 'noreply@example.com');
  });

  it('answers 202 for unknown addresses and sends nothing', async () => {
    const before = smtp.messages.length;
    const res = await fetch(`${srv.url}/api/v1/auth/password/forgot`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ghost@example.com' }),
    });
    assert.equal(res.status, 202);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.messages.length, before);
  });

  it('resets a password from the emailed link; every old session ends; the link works once', async () => {
    const u = await createUser(srv, { tenant: 'acme', role: 'operator', email: 'reset-me@example.com' });
    const second = await loginAs(srv, u.email);
    await srv.client().call('auth.forgotPassword', { body: { email: 'Reset-Me@example.com' } });
    const mail = await smtp.next((m) => m.to.includes('reset-me@example.com') && /reset/i.test(m.subject));
    const token = tokenFrom(mail, 'reset-password');
    assert.match(token, /^ncr_/);
    assert.match(mail.text, /30 minutes/);

    const weak = await expectProblem(srv.client().call('auth.resetPassword', { body: { token, password: 'short' } }), 'WEAK_PASSWORD', 400);
    assert.equal(weak.problem.errors?.[0].path, 'password');
    await srv.client().call('auth.resetPassword', { body: { token, password: 'a brand new password' } });

    await expectProblem(u.client.call('auth.me'), 'UNAUTHENTICATED', 401);
    await expectProblem(second.client.call('auth.me'), 'UNAUTHENTICATED', 401);
    await expectProblem(srv.client().call('auth.refresh', { body: { refreshToken: u.refreshToken } }), 'UNAUTHENTICATED', 401);
    await expectProblem(loginAs(srv, u.email, TEST_PASSWORD), 'INVALID_CREDENTIALS');
    await loginAs(srv, u.email, 'a brand new password');
    await expectProblem(srv.client().call('auth.resetPassword', { body: { token, password: 'yet another password' } }), 'INVALID_TOKEN', 400);

    const audit = await srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.resetPassword').where('outcome', '=', 'success').executeTakeFirstOrThrow();
    assert.equal(audit.actor_label, 'reset-me@example.com');
    assert.ok(JSON.parse(audit.details).sessionsRevoked >= 2);
    assert.ok(!audit.details.includes(token));
  });

  it('a newer reset link voids the older one, and links expire after 30 minutes', async () => {
    await createUser(srv, { tenant: 'acme', email: 'twice@example.com' });
    await srv.client().call('auth.forgotPassword', { body: { email: 'twice@example.com' } });
    const first = tokenFrom(await smtp.next((m) => m.to.includes('twice@example.com')), 'reset-password');
    await srv.client().call('auth.forgotPassword', { body: { email: 'twice@example.com' } });
    const second = tokenFrom(await smtp.next((m) => m.to.includes('twice@example.com') && !m.text.includes(first)), 'reset-password');
    await expectProblem(srv.client().call('auth.resetPassword', { body: { token: first, password: 'a brand new password' } }), 'INVALID_TOKEN');
    const row = await srv.services.identity.oneTime.peek('reset', second);
    const minutes = (Date.parse(row.expires_at) - Date.parse(row.created_at)) / 60_000;
    assert.equal(minutes, 30);
  });

  it('verifies email: register sends the link, login waits for it when required, the link verifies once', async () => {
    const admin = await srv.admin();
    await admin.client.call('settings.update', { body: { registration: 'open', requireEmailVerification: true } });
    const user = await srv.client().call('auth.register', { body: { email: 'verify@example.com', password: TEST_PASSWORD, name: 'V' } });
    assert.equal(user.emailVerified, false);
    const mail = await smtp.next((m) => m.to.includes('verify@example.com') && /verify/i.test(m.subject));
    const token = tokenFrom(mail, 'verify-email');
    await expectProblem(loginAs(srv, 'verify@example.com'), 'EMAIL_NOT_VERIFIED', 403);
    await srv.client().call('auth.verifyEmail', { body: { token } });
    const signedIn = await loginAs(srv, 'verify@example.com');
    assert.equal(signedIn.user.emailVerified, true);
    await expectProblem(srv.client().call('auth.verifyEmail', { body: { token } }), 'INVALID_TOKEN');
    await admin.client.call('settings.update', { body: { requireEmailVerification: false } });
  });

  it('resends verification to a signed-in, unverified user', async () => {
    const u = await createUser(srv, { tenant: 'acme', email: 'resend@example.com', emailVerified: false });
    await u.client.call('auth.resendVerification');
    const token = tokenFrom(await smtp.next((m) => m.to.includes('resend@example.com')), 'verify-email');
    await srv.client().call('auth.verifyEmail', { body: { token } });
    assert.equal((await u.client.call('auth.me')).emailVerified, true);
  });

  it('sends at most 3 reset mails per address per hour, still answering 202', async () => {
    await createUser(srv, { tenant: 'acme', email: 'flood@example.com' });
    for (let i = 0; i < 5; i++) await srv.client().call('auth.forgotPassword', { body: { email: 'flood@example.com' } });
    const mine = (m: ReceivedMail) => m.to.includes('flood@example.com');
    await smtp.next((m) => mine(m) && smtp.messages.filter(mine).length >= 3);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(smtp.messages.filter((m) => m.to.includes('flood@example.com')).length, 3);
  });
});
