import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock';
import { expectProblem } from '../testing/expect-problem';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, loginAs, TEST_PASSWORD } from '../testing/test-users';

async function auditRows(srv: TestServer, action: string) {
  return srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
}

for (const dialect of TEST_DIALECTS) {
  describe(`sign-in, refresh and sessions on ${dialect}`, () => {
    let srv: TestServer;
    const clock = new ManualClock();
    before(async () => {
      srv = await startTestServer({ dialect, clock });
    });
    after(() => srv.close());

    it('signs in (email case-insensitive) and audits success with the email as actor', async () => {
      const u = await createUser(srv, { tenant: 'acme', role: 'operator', email: 'ann@example.com' });
      const again = await srv.client().call('auth.login', { body: { email: 'ANN@example.com', password: TEST_PASSWORD } });
      assert.equal(again.user.id, u.user.id);
      assert.equal(again.expiresIn, 900);
      assert.ok(again.user.lastLoginAt);
      assert.deepEqual(Object.keys(again.user.permissions.tenants), [u.tenantId]);
      assert.ok(again.user.permissions.tenants[u.tenantId].includes('vm:power'));
      assert.deepEqual(again.user.permissions.global, []);
      const rows = await auditRows(srv, 'auth.login');
      const last = rows.at(-1)!;
      assert.equal(last.outcome, 'success');
      assert.equal(last.actor_label, 'ann@example.com');
      assert.equal(last.actor_id, u.user.id);
      assert.ok(!last.details.includes(TEST_PASSWORD));
    });

    it('answers unknown users and wrong passwords identically, and audits both', async () => {
      const unknown = await expectProblem(srv.client().call('auth.login', { body: { email: 'nobody@example.com', password: TEST_PASSWORD } }), 'INVALID_CREDENTIALS', 401);
      const wrong = await expectProblem(srv.client().call('auth.login', { body: { email: 'ann@example.com', password: 'wrong password!' } }), 'INVALID_CREDENTIALS', 401);
      assert.equal(unknown.message, wrong.message);
      const failures = (await auditRows(srv, 'auth.login')).filter((r) => r.outcome === 'failure');
      assert.deepEqual(failures.map((r) => r.actor_label).slice(-2), ['nobody@example.com', 'ann@example.com']);
      assert.ok(failures.every((r) => JSON.parse(r.details).error === 'INVALID_CREDENTIALS'));
      srv.services.identity.throttle.recordSuccess('ann@example.com');
    });

    it('rotates refresh tokens; a reused one revokes the whole family', async () => {
      const u = await loginAs(srv, 'ann@example.com');
      const r1 = await srv.client().call('auth.refresh', { body: { refreshToken: u.refreshToken } });
      assert.notEqual(r1.refreshToken, u.refreshToken);
      assert.notEqual(r1.accessToken, u.token);
      const r2 = await srv.client().call('auth.refresh', { body: { refreshToken: r1.refreshToken } });
      await srv.client(r2.accessToken).call('auth.me');
      // The first token comes back (stolen copy): the session ends for everyone holding any of its tokens.
      await expectProblem(srv.client().call('auth.refresh', { body: { refreshToken: u.refreshToken } }), 'REFRESH_TOKEN_REUSED', 401);
      await expectProblem(srv.client().call('auth.refresh', { body: { refreshToken: r2.refreshToken } }), 'UNAUTHENTICATED', 401);
      await expectProblem(srv.client(r2.accessToken).call('auth.me'), 'UNAUTHENTICATED', 401);
      const reuse = (await auditRows(srv, 'auth.refresh')).filter((r) => r.outcome === 'failure');
      assert.equal(reuse[0].actor_label, 'ann@example.com');
      assert.equal(JSON.parse(reuse[0].details).error, 'REFRESH_TOKEN_REUSED');
      await expectProblem(srv.client().call('auth.refresh', { body: { refreshToken: 'ncrt_nonsense' } }), 'UNAUTHENTICATED');
    });

    it('sets the refresh cookie httpOnly, SameSite=Strict, path /api/v1/auth, and refreshes from it', async () => {
      const res = await fetch(`${srv.url}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ann@example.com', password: TEST_PASSWORD }),
      });
      assert.equal(res.status, 200);
      const cookie = res.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^novacron_refresh=ncrt_[A-Za-z0-9_-]+;/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      assert.match(cookie, /Path=\/api\/v1\/auth(;|$)/);
      assert.match(cookie, /Max-Age=2592000/);
      assert.doesNotMatch(cookie, /Secure/, 'plain http public URL: no Secure flag');
      const value = cookie.split(';')[0];
      const refreshed = await fetch(`${srv.url}/api/v1/auth/refresh`, { method: 'POST', headers: { cookie: value } });
      assert.equal(refreshed.status, 200);
      const body = (await refreshed.json()) as { refreshToken: string };
      assert.equal(`novacron_refresh=${body.refreshToken}`, (refreshed.headers.get('set-cookie') ?? '').split(';')[0]);
      // An expired access token in the header does not stop a refresh.
      const stale = await fetch(`${srv.url}/api/v1/auth/refresh`, {
        method: 'POST', headers: { cookie: `novacron_refresh=${body.refreshToken}`, authorization: 'Bearer not-a-jwt' },
      });
      assert.equal(stale.status, 200);
      const logout = await fetch(`${srv.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: (stale.headers.get('set-cookie') ?? '').split(';')[0] } });
      assert.equal(logout.status, 204);
      assert.match(logout.headers.get('set-cookie') ?? '', /novacron_refresh=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    });

    it('logout ends the session: the access token and refresh token stop working', async () => {
      const u = await loginAs(srv, 'ann@example.com');
      await u.client.call('auth.logout', { body: {} });
      await expectProblem(u.client.call('auth.me'), 'UNAUTHENTICATED', 401);
      await expectProblem(srv.client().call('auth.refresh', { body: { refreshToken: u.refreshToken } }), 'UNAUTHENTICATED', 401);
      const last = (await auditRows(srv, 'auth.logout')).at(-1)!;
      assert.equal(last.actor_label, 'ann@example.com');
      assert.equal(last.outcome, 'success');
    });

    it('lists sessions, revokes one, and revokes all others', async () => {
      const a = await loginAs(srv, 'ann@example.com');
      const b = await loginAs(srv, 'ann@example.com');
      const c = await loginAs(srv, 'ann@example.com');
      const page = await a.client.call('auth.sessions', { query: { limit: 100 } });
      assert.ok(page.items.length >= 3);
      assert.equal(page.items.filter((s) => s.current).length, 1);
      const bSession = (await b.client.call('auth.sessions', { query: { limit: 100 } })).items.find((s) => s.current)!;
      await a.client.call('auth.revokeSession', { params: { id: bSession.id } });
      await expectProblem(b.client.call('auth.me'), 'UNAUTHENTICATED');
      await expectProblem(a.client.call('auth.revokeSession', { params: { id: bSession.id } }), 'NOT_FOUND', 404);
      const other = await createUser(srv, { tenant: 'acme', role: 'viewer' });
      const otherSession = (await other.client.call('auth.sessions', { query: { limit: 10 } })).items[0];
      await expectProblem(a.client.call('auth.revokeSession', { params: { id: otherSession.id } }), 'NOT_FOUND', 404);
      const { revoked } = await a.client.call('auth.revokeAllSessions');
      assert.ok(revoked >= 1);
      await expectProblem(c.client.call('auth.me'), 'UNAUTHENTICATED');
      await a.client.call('auth.me');
      await other.client.call('auth.me');
      const left = await a.client.call('auth.sessions', { query: { limit: 100 } });
      assert.deepEqual(left.items.map((s) => s.current), [true]);
    });

    it('updates the name, and changing the password revokes the other sessions', async () => {
      const a = await loginAs(srv, 'ann@example.com');
      const b = await loginAs(srv, 'ann@example.com');
      assert.equal((await a.client.call('auth.updateMe', { body: { name: 'Ann Example' } })).name, 'Ann Example');
      await expectProblem(a.client.call('auth.changePassword', { body: { currentPassword: 'wrong password!', newPassword: 'a new long password' } }), 'INVALID_CREDENTIALS');
      const weak = await expectProblem(a.client.call('auth.changePassword', { body: { currentPassword: TEST_PASSWORD, newPassword: 'short' } }), 'WEAK_PASSWORD', 400);
      assert.equal(weak.problem.errors?.[0].path, 'newPassword');
      await a.client.call('auth.changePassword', { body: { currentPassword: TEST_PASSWORD, newPassword: 'a new long password' } });
      await a.client.call('auth.me');
      await expectProblem(b.client.call('auth.me'), 'UNAUTHENTICATED');
      await expectProblem(loginAs(srv, 'ann@example.com', TEST_PASSWORD), 'INVALID_CREDENTIALS');
      await a.client.call('auth.changePassword', { body: { currentPassword: 'a new long password', newPassword: TEST_PASSWORD } });
      srv.services.identity.throttle.recordSuccess('ann@example.com');
    });

    it('expires access tokens after accessTokenTtlSeconds: TOKEN_EXPIRED, then refresh works', async () => {
      const u = await loginAs(srv, 'ann@example.com');
      clock.advance(901);
      await expectProblem(u.client.call('auth.me'), 'TOKEN_EXPIRED', 401);
      const r = await srv.client().call('auth.refresh', { body: { refreshToken: u.refreshToken } });
      await srv.client(r.accessToken).call('auth.me');
    });

    it('refuses disabled accounts: sign-in, existing sessions and refresh', async () => {
      const u = await createUser(srv, { tenant: 'acme', role: 'viewer' });
      await srv.services.identity.accounts.updateUser(u.user.id, { disabled: 1 });
      await expectProblem(u.client.call('auth.me'), 'ACCOUNT_DISABLED', 403);
      await expectProblem(srv.client().call('auth.refresh', { body: { refreshToken: u.refreshToken } }), 'ACCOUNT_DISABLED');
      await expectProblem(loginAs(srv, u.email), 'ACCOUNT_DISABLED');
      // Wrong password on a disabled account says nothing about the account.
      await expectProblem(loginAs(srv, u.email, 'not the password'), 'INVALID_CREDENTIALS');
    });

    it('refuses malformed bearer headers and rejects forged JWTs over HTTP', async () => {
      const u = await loginAs(srv, 'ann@example.com');
      const [h, p] = u.token.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
      await expectProblem(srv.client(none).call('auth.me'), 'UNAUTHENTICATED', 401);
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${u.token.split('.')[2]}`;
      await expectProblem(srv.client(forged).call('auth.me'), 'UNAUTHENTICATED', 401);
      const res = await fetch(`${srv.url}/api/v1/auth/me`, { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      assert.equal(res.status, 401);
    });

    it('locks an account after 5 failures (even for the right password) and lets it in after 15 minutes', async () => {
      const u = await createUser(srv, { tenant: 'acme', role: 'viewer' });
      for (let i = 0; i < 5; i++) await expectProblem(loginAs(srv, u.email, 'not the password'), 'INVALID_CREDENTIALS');
      const res = await fetch(`${srv.url}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: TEST_PASSWORD }),
      });
      assert.equal(res.status, 429);
      assert.equal(((await res.json()) as { code: string }).code, 'ACCOUNT_LOCKED');
      assert.equal(res.headers.get('retry-after'), '900');
      clock.advance(600);
      await expectProblem(loginAs(srv, u.email), 'ACCOUNT_LOCKED', 429);
      clock.advance(301);
      await loginAs(srv, u.email);
      const locked = (await auditRows(srv, 'auth.login')).filter((r) => JSON.parse(r.details).error === 'ACCOUNT_LOCKED');
      assert.equal(locked.at(-1)!.actor_label, u.email);
    });

    it('limits one address to 20 failures across accounts: RATE_LIMITED', async () => {
      clock.advance(3600);
      for (let i = 0; i < 20; i++) await expectProblem(loginAs(srv, `spray${i}@example.com`, 'guess'), 'INVALID_CREDENTIALS');
      const err = await expectProblem(loginAs(srv, 'ann@example.com'), 'RATE_LIMITED', 429);
      assert.match(err.message, /retry in 900 s/);
      clock.advance(901);
      await loginAs(srv, 'ann@example.com');
    });
  });
}
