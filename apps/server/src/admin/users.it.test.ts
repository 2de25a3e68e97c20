import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AdminUser, Tenant } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, loginAs, TEST_PASSWORD, type TestUser } from '../testing/test-users';
import { startSmtpSink } from '../testing/smtp-sink';
import { fails, twoTenantsWithAdmins, userWithPermissions } from './admin-test-helpers';

for (const dialect of TEST_DIALECTS) {
  describe(`users administration on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let acme: Tenant;
    let globex: Tenant;
    let acmeAdmin: TestUser;
    let globexAdmin: TestUser;
    let seq = 0;
    const email = (p: string) => `${p}-${++seq}@example.com`;

    before(async () => {
      srv = await startTestServer({ dialect });
      ({ admin, acme, globex, acmeAdmin, globexAdmin } = await twoTenantsWithAdmins(srv));
    });
    after(() => srv.close());

    describe('CRUD', () => {
      it('creates a user with bindings who can then sign in', async () => {
        const e = email('Carol');
        const carol = await admin.client.call('users.create', {
          body: { email: e, name: 'Carol', tenantId: acme.id, password: TEST_PASSWORD, roles: [{ role: 'operator', tenantId: acme.id }] },
        });
        assert.equal(carol.email, e.toLowerCase());
        assert.equal(carol.tenantId, acme.id);
        assert.deepEqual(carol.roles, [{ role: 'operator', tenantId: acme.id }]);
        const session = await loginAs(srv, e);
        assert.ok(session.user.permissions.tenants[acme.id].includes('vm:power'));
        assert.deepEqual(session.user.permissions.global, []);
      });

      it('refuses duplicates, weak passwords, unknown roles and tenants', async () => {
        const e = email('dup');
        await admin.client.call('users.create', { body: { email: e, name: 'Dup', tenantId: acme.id } });
        await fails(admin.client.call('users.create', { body: { email: e.toUpperCase(), name: 'Dup', tenantId: acme.id } }), 409, 'ALREADY_EXISTS');
        await fails(admin.client.call('users.create', { body: { email: email('weak'), name: 'W', tenantId: acme.id, password: 'short' } }), 400, 'WEAK_PASSWORD');
        const bad = await fails(
          admin.client.call('users.create', { body: { email: email('r'), name: 'R', tenantId: acme.id, roles: [{ role: 'no-such-role', tenantId: null }] } }),
          400, 'VALIDATION_FAILED',
        );
        assert.equal(bad.problem.errors?.[0].path, 'roles.0.role');
        const badTenant = await fails(
          admin.client.call('users.create', { body: { email: email('t'), name: 'T', tenantId: acme.id, roles: [{ role: 'viewer', tenantId: 'nope' }] } }),
          400, 'VALIDATION_FAILED',
        );
        assert.equal(badTenant.problem.errors?.[0].path, 'roles.0.tenantId');
        await fails(admin.client.call('users.create', { body: { email: email('x'), name: 'X', tenantId: 'missing-tenant' } }), 404, 'NOT_FOUND');
        await fails(admin.client.call('users.create', { body: { email: email('x'), name: 'X', tenantId: acme.id, extra: 1 } as never }), 400, 'VALIDATION_FAILED');
      });

      it('lists with tenant, text and disabled filters, paged by cursor', async () => {
        const made: AdminUser[] = [];
        for (const n of ['Zed One', 'Zed Two', 'Zed Three']) {
          made.push(await admin.client.call('users.create', { body: { email: email('zed'), name: n, tenantId: globex.id } }));
        }
        await admin.client.call('users.update', { params: { id: made[1].id }, body: { disabled: true } });
        const zeds = await admin.client.call('users.list', { query: { text: 'ZED', tenant: globex.id } });
        assert.deepEqual(zeds.items.map((u) => u.name), ['Zed One', 'Zed Two', 'Zed Three']);
        const disabled = await admin.client.call('users.list', { query: { text: 'zed', disabled: 'true' } });
        assert.deepEqual(disabled.items.map((u) => u.id), [made[1].id]);
        const enabled = await admin.client.call('users.list', { query: { text: 'zed', disabled: 'false' } });
        assert.equal(enabled.items.length, 2);
        // LIKE wildcards in the text are literal.
        assert.equal((await admin.client.call('users.list', { query: { text: '%' } })).items.length, 0);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await admin.client.call('users.list', { query: { limit: 2, cursor, tenant: globex.id } });
          assert.ok(page.items.length <= 2);
          seen.push(...page.items.map((u) => u.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        assert.deepEqual(seen, [...seen].sort());
        assert.ok(made.every((u) => seen.includes(u.id)));
        await fails(admin.client.call('users.list', { query: { cursor: 'garbage!' } }), 400, 'INVALID_CURSOR');
      });

      it('gets, renames, moves, disables (signing out) and deletes', async () => {
        const e = email('dave');
        const created = await admin.client.call('users.create', { body: { email: e, name: 'Dave', tenantId: acme.id, password: TEST_PASSWORD } });
        const dave = await loginAs(srv, e);
        assert.equal((await admin.client.call('users.get', { params: { id: created.id } })).name, 'Dave');
        const renamed = await admin.client.call('users.update', { params: { id: created.id }, body: { name: 'David', tenantId: globex.id } });
        assert.equal(renamed.name, 'David');
        assert.equal(renamed.tenantId, globex.id);
        await dave.client.call('auth.me');
        const off = await admin.client.call('users.update', { params: { id: created.id }, body: { disabled: true } });
        assert.equal(off.disabled, true);
        await fails(dave.client.call('auth.me'), 401, 'UNAUTHENTICATED');
        await fails(srv.client().call('auth.login', { body: { email: e, password: TEST_PASSWORD } }), 403, 'ACCOUNT_DISABLED');
        await admin.client.call('users.update', { params: { id: created.id }, body: { disabled: false } });
        await loginAs(srv, e);
        await fails(admin.client.call('users.update', { params: { id: created.id }, body: { tenantId: 'missing' } }), 404, 'NOT_FOUND');
        await admin.client.call('users.delete', { params: { id: created.id } });
        await fails(admin.client.call('users.get', { params: { id: created.id } }), 404, 'NOT_FOUND');
        await fails(admin.client.call('users.delete', { params: { id: created.id } }), 404, 'NOT_FOUND');
      });

      it('resets two-factor authentication', async () => {
        const u = await admin.client.call('users.create', { body: { email: email('totp'), name: 'T', tenantId: acme.id } });
        await srv.services.store.db.updateTable('users').set({ totp_enabled: 1, totp_secret: 'x', recovery_codes: '["a"]' }).where('id', '=', u.id).execute();
        assert.equal((await admin.client.call('users.get', { params: { id: u.id } })).totpEnabled, true);
        const reset = await admin.client.call('users.reset2fa', { params: { id: u.id } });
        assert.equal(reset.totpEnabled, false);
        const row = await srv.services.store.db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow();
        assert.equal(row.totp_secret, null);
        assert.equal(row.recovery_codes, '[]');
      });

      it('replaces role bindings and audits the change in the user\'s tenant', async () => {
        const u = await admin.client.call('users.create', { body: { email: email('roles'), name: 'R', tenantId: acme.id } });
        const set = await admin.client.call('users.setRoles', {
          params: { id: u.id },
          body: [{ role: 'viewer', tenantId: null }, { role: 'operator', tenantId: acme.id }, { role: 'operator', tenantId: acme.id }],
        });
        assert.deepEqual(set, [{ role: 'viewer', tenantId: null }, { role: 'operator', tenantId: acme.id }]);
        assert.deepEqual(await admin.client.call('users.getRoles', { params: { id: u.id } }), set);
        assert.deepEqual(await admin.client.call('users.setRoles', { params: { id: u.id }, body: [] }), []);
        const audit = await admin.client.call('audit.list', { query: { action: 'users.setRoles', target: u.id } });
        assert.equal(audit.items.length, 2);
        assert.equal(audit.items[0].tenantId, acme.id);
      });
    });

    describe('invites', () => {
      it('issues a registration link that binds the role on the tenant', async () => {
        const e = email('invitee');
        const invite = await admin.client.call('users.invite', { body: { email: e, tenantId: acme.id, role: 'viewer' } });
        assert.match(invite.inviteUrl, /^http:\/\/.+\/register\?invite=nci_/);
        assert.equal(invite.emailSent, false, 'no SMTP configured');
        assert.ok(invite.emailError);
        const token = decodeURIComponent(new URL(invite.inviteUrl).searchParams.get('invite') ?? '');
        const user = await srv.client().call('auth.register', { body: { email: e, password: TEST_PASSWORD, name: 'Invitee', inviteToken: token } });
        assert.equal(user.tenantId, acme.id);
        const seen = await admin.client.call('users.get', { params: { id: user.id } });
        assert.deepEqual(seen.roles, [{ role: 'viewer', tenantId: acme.id }]);
        const audit = await admin.client.call('audit.list', { query: { action: 'users.invite', target: e.toLowerCase() } });
        assert.equal(audit.items.length, 1);
        assert.ok(!JSON.stringify(audit.items[0]).includes(token), 'the secret is not audited');
      });

      it('refuses existing accounts, unknown roles and other tenants', async () => {
        await fails(admin.client.call('users.invite', { body: { email: admin.email, tenantId: acme.id, role: 'viewer' } }), 409, 'ALREADY_EXISTS');
        await fails(admin.client.call('users.invite', { body: { email: email('i'), tenantId: acme.id, role: 'ghost' } }), 400, 'VALIDATION_FAILED');
        await fails(acmeAdmin.client.call('users.invite', { body: { email: email('i'), tenantId: globex.id, role: 'viewer' } }), 404, 'NOT_FOUND');
        await acmeAdmin.client.call('users.invite', { body: { email: email('i'), tenantId: acme.id, role: 'operator' } });
      });

      it('mails the link through the configured SMTP server', async () => {
        const sink = await startSmtpSink();
        try {
          await admin.client.call('settings.update', { body: { publicUrl: 'https://novacron.example.com', smtp: { host: '127.0.0.1', port: sink.port } } });
          const e = email('mailed');
          const invite = await admin.client.call('users.invite', { body: { email: e, tenantId: globex.id, role: 'viewer' } });
          assert.equal(invite.emailSent, true);
          assert.equal(invite.emailError, null);
          assert.match(invite.inviteUrl, /^https:\/\/novacron\.example\.com\/register\?invite=nci_/);
          const mail = await sink.next((m) => m.to.includes(e.toLowerCase()));
          assert.ok(mail.text.includes(invite.inviteUrl), mail.text);
        } finally {
          await admin.client.call('settings.update', { body: { smtp: { host: '' } } });
          await sink.close();
        }
      });
    });

    describe('privilege escalation', () => {
      it('nobody changes their own bindings, tenant, or disables or deletes themselves', async () => {
        await fails(admin.client.call('users.setRoles', { params: { id: admin.user.id }, body: [{ role: 'admin', tenantId: null }] }), 403, 'PRIVILEGE_ESCALATION');
        await fails(acmeAdmin.client.call('users.setRoles', { params: { id: acmeAdmin.user.id }, body: [{ role: 'admin', tenantId: null }] }), 403, 'PRIVILEGE_ESCALATION');
        await fails(acmeAdmin.client.call('users.update', { params: { id: acmeAdmin.user.id }, body: { tenantId: globex.id } }), 403, 'PRIVILEGE_ESCALATION');
        await fails(admin.client.call('users.update', { params: { id: admin.user.id }, body: { disabled: true } }), 409, 'INVALID_STATE');
        await fails(admin.client.call('users.delete', { params: { id: admin.user.id } }), 409, 'INVALID_STATE');
        await fails(admin.client.call('users.reset2fa', { params: { id: admin.user.id } }), 409, 'INVALID_STATE');
        const renamed = await acmeAdmin.client.call('users.update', { params: { id: acmeAdmin.user.id }, body: { name: 'Acme Boss' } });
        assert.equal(renamed.name, 'Acme Boss');
      });

      it('a tenant admin grants only on its tenant, never globally or elsewhere', async () => {
        const ok = await acmeAdmin.client.call('users.create', {
          body: { email: email('a'), name: 'A', tenantId: acme.id, roles: [{ role: 'admin', tenantId: acme.id }, { role: 'operator', tenantId: acme.id }] },
        });
        assert.equal(ok.roles.length, 2);
        await fails(
          acmeAdmin.client.call('users.create', { body: { email: email('a'), name: 'A', tenantId: acme.id, roles: [{ role: 'viewer', tenantId: null }] } }),
          403, 'PRIVILEGE_ESCALATION',
        );
        await fails(
          acmeAdmin.client.call('users.create', { body: { email: email('a'), name: 'A', tenantId: acme.id, roles: [{ role: 'viewer', tenantId: globex.id }] } }),
          403, 'PRIVILEGE_ESCALATION',
        );
        // A tenant id that does not exist answers the same as another tenant's: no existence probe.
        await fails(
          acmeAdmin.client.call('users.create', { body: { email: email('a'), name: 'A', tenantId: acme.id, roles: [{ role: 'viewer', tenantId: 'nope' }] } }),
          403, 'PRIVILEGE_ESCALATION',
        );
        await fails(acmeAdmin.client.call('users.create', { body: { email: email('a'), name: 'A', tenantId: globex.id } }), 404, 'NOT_FOUND');
        await fails(acmeAdmin.client.call('users.setRoles', { params: { id: ok.id }, body: [{ role: 'viewer', tenantId: null }] }), 403, 'PRIVILEGE_ESCALATION');
      });

      it('nobody grants a role wider than what they hold, and roles are judged by their permissions', async () => {
        const helpdesk = await userWithPermissions(srv, 'helpdesk', ['user:read', 'user:admin', 'vm:read', 'image:read'], { global: true });
        await userWithPermissions(srv, 'vm-reader', ['vm:read']);
        const target = await admin.client.call('users.create', { body: { email: email('h'), name: 'H', tenantId: acme.id } });
        await fails(helpdesk.client.call('users.setRoles', { params: { id: target.id }, body: [{ role: 'operator', tenantId: null }] }), 403, 'PRIVILEGE_ESCALATION');
        await fails(helpdesk.client.call('users.setRoles', { params: { id: target.id }, body: [{ role: 'admin', tenantId: acme.id }] }), 403, 'PRIVILEGE_ESCALATION');
        const granted = await helpdesk.client.call('users.setRoles', { params: { id: target.id }, body: [{ role: 'vm-reader', tenantId: null }] });
        assert.deepEqual(granted, [{ role: 'vm-reader', tenantId: null }]);
      });

      it('nobody manages, strips or disables a user holding more than they could grant', async () => {
        const boss = await admin.client.call('users.create', {
          body: { email: email('boss'), name: 'Boss', tenantId: acme.id, roles: [{ role: 'admin', tenantId: null }] },
        });
        await fails(acmeAdmin.client.call('users.update', { params: { id: boss.id }, body: { disabled: true } }), 403, 'PRIVILEGE_ESCALATION');
        await fails(acmeAdmin.client.call('users.delete', { params: { id: boss.id } }), 403, 'PRIVILEGE_ESCALATION');
        await fails(acmeAdmin.client.call('users.reset2fa', { params: { id: boss.id } }), 403, 'PRIVILEGE_ESCALATION');
        await fails(acmeAdmin.client.call('users.setRoles', { params: { id: boss.id }, body: [] }), 403, 'PRIVILEGE_ESCALATION');
        // Keeping the global binding and adding one on acme is within reach.
        const kept = await acmeAdmin.client.call('users.setRoles', {
          params: { id: boss.id }, body: [{ role: 'admin', tenantId: null }, { role: 'viewer', tenantId: acme.id }],
        });
        assert.equal(kept.length, 2);
        assert.equal((await admin.client.call('users.get', { params: { id: boss.id } })).disabled, false);
      });

      it('a role without user:admin cannot manage users at all', async () => {
        const operator = await createUser(srv, { tenant: 'acme', role: 'operator' });
        await fails(operator.client.call('users.create', { body: { email: email('o'), name: 'O', tenantId: acme.id } }), 403, 'FORBIDDEN');
        const viewer = await createUser(srv, { tenant: 'acme', role: 'viewer' });
        const someone = await admin.client.call('users.create', { body: { email: email('s'), name: 'S', tenantId: acme.id } });
        assert.equal((await viewer.client.call('users.get', { params: { id: someone.id } })).id, someone.id);
        await fails(viewer.client.call('users.update', { params: { id: someone.id }, body: { name: 'x' } }), 403, 'FORBIDDEN');
      });
    });

    describe('tenant isolation', () => {
      it('a user of another tenant can neither list, read, guess nor change users of a tenant', async () => {
        const victim = await admin.client.call('users.create', { body: { email: email('victim'), name: 'Victim', tenantId: acme.id } });
        const list = await globexAdmin.client.call('users.list', { query: { limit: 1000 } });
        assert.ok(list.items.length > 0);
        assert.ok(list.items.every((u) => u.tenantId === globex.id), 'only globex users');
        assert.equal((await globexAdmin.client.call('users.list', { query: { tenant: acme.id } })).items.length, 0);
        const seen = await fails(globexAdmin.client.call('users.get', { params: { id: victim.id } }), 404, 'NOT_FOUND');
        const guessed = await fails(globexAdmin.client.call('users.get', { params: { id: '01aaaaaaaaaaaaaaaaaaaaaa' } }), 404, 'NOT_FOUND');
        assert.equal(seen.problem.title, guessed.problem.title);
        await fails(globexAdmin.client.call('users.getRoles', { params: { id: victim.id } }), 404, 'NOT_FOUND');
        await fails(globexAdmin.client.call('users.update', { params: { id: victim.id }, body: { name: 'pwned' } }), 404, 'NOT_FOUND');
        await fails(globexAdmin.client.call('users.delete', { params: { id: victim.id } }), 404, 'NOT_FOUND');
        await fails(globexAdmin.client.call('users.reset2fa', { params: { id: victim.id } }), 404, 'NOT_FOUND');
        await fails(globexAdmin.client.call('users.setRoles', { params: { id: victim.id }, body: [] }), 404, 'NOT_FOUND');
        assert.equal((await admin.client.call('users.get', { params: { id: victim.id } })).name, 'Victim');
      });
    });
  });
}
