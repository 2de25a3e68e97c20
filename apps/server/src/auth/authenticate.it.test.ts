import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinRoles } from '@novacron/api';
import { fails } from '../admin/admin-test-helpers';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';

// The access token of a signed-in user is verified once and then remembered: these tests use one token over and over
// and prove that what is NOT remembered (session, account, role bindings, role permissions) takes effect on the next request.
for (const dialect of TEST_DIALECTS) {
  describe(`authentication stays immediate with a remembered access token, on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let seq = 0;
    const probe = async (perms: string[]) => {
      const role = await admin.client.call('roles.create', { body: { name: `probe-${++seq}`, permissions: perms as never } });
      const user = await createUser(srv, { role: role.name, global: true });
      await user.client.call('auth.me'); // verified and remembered
      return { role, user };
    };
    const globalPerms = async (u: TestUser) => (await u.client.call('auth.me')).permissions.global;

    before(async () => {
      srv = await startTestServer({ dialect });
      admin = await srv.admin();
    });
    after(() => srv.close());

    it('a role whose permissions change applies on the next request', async () => {
      const { role, user } = await probe(['audit:read']);
      assert.deepEqual(await globalPerms(user), ['audit:read']);
      await user.client.call('audit.list', { query: {} });
      await admin.client.call('roles.update', { params: { id: role.id }, body: { permissions: ['operation:read'] } });
      assert.deepEqual(await globalPerms(user), ['operation:read']);
      await fails(user.client.call('audit.list', { query: {} }), 403, 'FORBIDDEN');
    });

    it('replaced role bindings apply on the next request', async () => {
      const { user } = await probe(['audit:read']);
      await admin.client.call('users.setRoles', { params: { id: user.user.id }, body: [] });
      assert.deepEqual((await user.client.call('auth.me')).permissions, { global: [], tenants: {} });
      await fails(user.client.call('audit.list', { query: {} }), 403, 'FORBIDDEN');
      await admin.client.call('users.setRoles', { params: { id: user.user.id }, body: [{ role: 'viewer', tenantId: null }] });
      assert.deepEqual(await globalPerms(user), [...builtinRoles.viewer.permissions].sort());
    });

    it('a binding removed behind the services\' back (straight in the database) applies on the next request', async () => {
      const { user } = await probe(['audit:read']);
      await srv.services.store.db.deleteFrom('role_bindings').where('user_id', '=', user.user.id).execute();
      assert.deepEqual(await globalPerms(user), []);
    });

    it('a deleted tenant takes its bindings with it on the next request', async () => {
      const temp = await admin.client.call('tenants.create', { body: { name: `temp-${++seq}` } });
      const { user } = await probe([]);
      await admin.client.call('users.setRoles', { params: { id: user.user.id }, body: [{ role: 'viewer', tenantId: temp.id }] });
      assert.ok((await user.client.call('auth.me')).permissions.tenants[temp.id]);
      await admin.client.call('tenants.delete', { params: { id: temp.id } });
      assert.deepEqual((await user.client.call('auth.me')).permissions.tenants, {});
    });

    it('a revoked session, a disabled account and a deleted account stop the same token at once', async () => {
      const a = (await probe(['audit:read'])).user;
      await srv.services.identity.sessions.revoke((await srv.services.identity.accessTokens.verify(a.token)).sid, 'test');
      await fails(a.client.call('auth.me'), 401, 'UNAUTHENTICATED');

      const b = (await probe(['audit:read'])).user;
      await srv.services.identity.accounts.updateUser(b.user.id, { disabled: 1 });
      await fails(b.client.call('auth.me'), 403, 'ACCOUNT_DISABLED');

      const c = (await probe(['audit:read'])).user;
      await admin.client.call('users.delete', { params: { id: c.user.id } });
      await fails(c.client.call('auth.me'), 401, 'UNAUTHENTICATED');
    });

    it('a token of one user cannot ride another user\'s session', async () => {
      const a = (await probe([])).user;
      const b = (await probe([])).user;
      const { accessTokens } = srv.services.identity;
      const bSession = (await accessTokens.verify(b.token)).sid;
      const mixed = await accessTokens.issue({ sub: a.user.id, sid: bSession, tenant: a.tenantId }, 900);
      await fails(srv.client(mixed).call('auth.me'), 401, 'UNAUTHENTICATED');
    });
  });
}
