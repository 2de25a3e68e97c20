import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../testing/manual-clock';
import { expectProblem } from '../testing/expect-problem';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, TEST_PASSWORD, type TestUser } from '../testing/test-users';

for (const dialect of TEST_DIALECTS) {
  describe(`API tokens on ${dialect}`, () => {
    let srv: TestServer;
    let op: TestUser;
    let otherTenant: TestUser;
    const clock = new ManualClock();
    before(async () => {
      srv = await startTestServer({ dialect, clock });
      op = await createUser(srv, { tenant: 'acme', role: 'operator' });
      otherTenant = await createUser(srv, { tenant: 'globex', role: 'operator' });
    });
    after(() => srv.close());

    it('creates a token (secret shown once, only its hash stored) that authenticates as the owner with the role', async () => {
      const created = await op.client.call('tokens.create', { body: { name: 'ci', role: 'viewer', tenantId: op.tenantId } });
      assert.match(created.secret, /^nct_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.token.role, 'viewer');
      assert.equal(created.token.prefix, created.secret.slice(0, 12));
      const row = await srv.services.store.db.selectFrom('api_tokens').selectAll().where('id', '=', created.token.id).executeTakeFirstOrThrow();
      assert.notEqual(row.token_hash, created.secret);
      assert.ok(!JSON.stringify(row).includes(created.secret));
      const me = await srv.client(created.secret).call('auth.me');
      assert.equal(me.id, op.user.id);
      assert.equal(me.via, 'token');
      assert.ok(me.permissions.tenants[op.tenantId].includes('vm:read'));
      assert.ok(!me.permissions.tenants[op.tenantId].includes('vm:power'), 'viewer role: no power');
      await srv.client(created.secret).call('operations.list', { query: {} });
      const list = await op.client.call('tokens.list', { query: {} });
      assert.deepEqual(list.items.map((t) => t.id), [created.token.id]);
      assert.ok(!JSON.stringify(list).includes(created.secret));
      const audit = await srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'tokens.create').executeTakeFirstOrThrow();
      assert.ok(!audit.details.includes(created.secret));
    });

    it('refuses PRIVILEGE_ESCALATION: a role the creator lacks, another tenant, or global scope', async () => {
      const wider = await expectProblem(op.client.call('tokens.create', { body: { name: 'x', role: 'admin', tenantId: op.tenantId } }), 'PRIVILEGE_ESCALATION', 403);
      assert.match(wider.message, /audit:read/);
      await expectProblem(op.client.call('tokens.create', { body: { name: 'x', role: 'viewer', tenantId: otherTenant.tenantId } }), 'PRIVILEGE_ESCALATION');
      await expectProblem(op.client.call('tokens.create', { body: { name: 'x', role: 'viewer' } }), 'PRIVILEGE_ESCALATION');
      await expectProblem(op.client.call('tokens.create', { body: { name: 'x', role: 'no-such-role', tenantId: op.tenantId } }), 'NOT_FOUND');
      const denied = await srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'tokens.create').where('outcome', '=', 'failure').execute();
      assert.ok(denied.some((r) => JSON.parse(r.details).error === 'PRIVILEGE_ESCALATION'));
    });

    it('a global admin may create a tenant-scoped token: it reaches that tenant only', async () => {
      const admin = await srv.admin();
      const { secret } = await admin.client.call('tokens.create', { body: { name: 'acme-admin', role: 'admin', tenantId: op.tenantId } });
      const me = await srv.client(secret).call('auth.me');
      assert.deepEqual(me.permissions.global, []);
      assert.deepEqual(Object.keys(me.permissions.tenants), [op.tenantId]);
      assert.ok(!me.permissions.tenants[op.tenantId].includes('node:admin'));
      assert.ok(!me.permissions.tenants[op.tenantId].includes('settings:write'));
      await expectProblem(srv.client(secret).call('settings.update', { body: { registration: 'open' } }), 'FORBIDDEN', 403);
    });

    it('follows the owner: losing the role shrinks the token, disabling the owner stops it', async () => {
      const owner = await createUser(srv, { tenant: 'acme', role: 'operator' });
      const { secret } = await owner.client.call('tokens.create', { body: { name: 'mine', role: 'operator', tenantId: owner.tenantId } });
      await srv.client(secret).call('operations.list', { query: {} });
      await srv.services.store.db.deleteFrom('role_bindings').where('user_id', '=', owner.user.id).execute();
      assert.deepEqual((await srv.client(secret).call('auth.me')).permissions, { global: [], tenants: {} });
      await expectProblem(srv.client(secret).call('operations.list', { query: {} }), 'FORBIDDEN');
      await srv.services.identity.accounts.updateUser(owner.user.id, { disabled: 1 });
      await expectProblem(srv.client(secret).call('auth.me'), 'ACCOUNT_DISABLED');
    });

    it('cannot change passwords, 2FA or sessions', async () => {
      const { secret } = await op.client.call('tokens.create', { body: { name: 'limited', role: 'viewer', tenantId: op.tenantId } });
      const t = srv.client(secret);
      await expectProblem(t.call('auth.changePassword', { body: { currentPassword: TEST_PASSWORD, newPassword: 'another long password' } }), 'FORBIDDEN');
      await expectProblem(t.call('auth.totpEnroll'), 'FORBIDDEN');
      await expectProblem(t.call('auth.revokeAllSessions'), 'FORBIDDEN');
      await expectProblem(t.call('auth.sessions', { query: {} }), 'FORBIDDEN');
    });

    it('revokes: the token stops working at once; other users cannot revoke it', async () => {
      const { token, secret } = await op.client.call('tokens.create', { body: { name: 'short-lived', role: 'viewer', tenantId: op.tenantId } });
      await expectProblem(otherTenant.client.call('tokens.revoke', { params: { id: token.id } }), 'NOT_FOUND', 404);
      await srv.client(secret).call('auth.me');
      await op.client.call('tokens.revoke', { params: { id: token.id } });
      await expectProblem(srv.client(secret).call('auth.me'), 'UNAUTHENTICATED', 401);
      assert.ok(!(await op.client.call('tokens.list', { query: {} })).items.some((t) => t.id === token.id));
      await expectProblem(srv.client('nct_doesnotexist').call('auth.me'), 'UNAUTHENTICATED');
    });

    it('expires after expiresInDays', async () => {
      const { token, secret } = await op.client.call('tokens.create', { body: { name: 'week', role: 'viewer', tenantId: op.tenantId, expiresInDays: 7 } });
      assert.ok(token.expiresAt);
      clock.advance(7 * 86_400 - 60);
      // The operator's own session would have expired too; the token alone is under test.
      await srv.client(secret).call('auth.me');
      clock.advance(61);
      await expectProblem(srv.client(secret).call('auth.me'), 'TOKEN_EXPIRED', 401);
    });

    it('audits token use at most once a minute per token', async () => {
      const fresh = await createUser(srv, { tenant: 'acme', role: 'viewer' });
      const { token, secret } = await fresh.client.call('tokens.create', { body: { name: 'audited', role: 'viewer', tenantId: fresh.tenantId } });
      const uses = () => srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.used').where('target', '=', token.id).execute();
      for (let i = 0; i < 5; i++) await srv.client(secret).call('auth.me');
      assert.equal((await uses()).length, 1);
      clock.advance(61);
      await srv.client(secret).call('auth.me');
      const rows = await uses();
      assert.equal(rows.length, 2);
      assert.equal(rows[0].actor_id, fresh.user.id);
      assert.equal(JSON.parse(rows[0].details).path, '/api/v1/auth/me');
      const listed = (await srv.client(secret).call('tokens.list', { query: {} })).items.find((t) => t.id === token.id);
      assert.ok(listed?.lastUsedAt);
    });
  });
}
