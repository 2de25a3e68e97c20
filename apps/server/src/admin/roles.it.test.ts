import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinRoles, permissions } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';
import { fails, userWithPermissions } from './admin-test-helpers';

for (const dialect of TEST_DIALECTS) {
  describe(`roles on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;

    before(async () => {
      srv = await startTestServer({ dialect });
      admin = await srv.admin();
    });
    after(() => srv.close());

    it('lists every permission with a description', async () => {
      const { items } = await admin.client.call('permissions.list');
      assert.deepEqual(items.map((p) => p.name), [...permissions]);
      assert.ok(items.every((p) => p.description.length > 10));
      assert.equal(items.find((p) => p.name === 'node:admin')?.globalOnly, true);
      assert.equal(items.find((p) => p.name === 'user:admin')?.globalOnly, false);
    });

    it('lists the built-in roles first, marked built-in, and pages', async () => {
      const { items } = await admin.client.call('roles.list');
      assert.deepEqual(items.slice(0, 4).map((r) => r.name).sort(), Object.keys(builtinRoles).sort());
      assert.ok(items.slice(0, 4).every((r) => r.builtin));
      const first = await admin.client.call('roles.list', { query: { limit: 2 } });
      assert.equal(first.items.length, 2);
      const second = await admin.client.call('roles.list', { query: { limit: 2, cursor: first.nextCursor ?? undefined } });
      assert.notEqual(second.items[0].id, first.items[0].id);
      assert.equal((await admin.client.call('roles.get', { params: { id: 'operator' } })).name, 'operator');
    });

    it('creates, renames, re-permissions and deletes a custom role', async () => {
      const role = await admin.client.call('roles.create', { body: { name: 'net-ops', permissions: ['network:read', 'network:write', 'network:read'] } });
      assert.equal(role.builtin, false);
      assert.deepEqual(role.permissions, ['network:read', 'network:write']);
      await fails(admin.client.call('roles.create', { body: { name: 'net-ops', permissions: [] } }), 409, 'ALREADY_EXISTS');
      const changed = await admin.client.call('roles.update', {
        params: { id: role.id }, body: { name: 'network-ops', description: 'networks', permissions: ['network:read'] },
      });
      assert.deepEqual([changed.name, changed.description, changed.permissions], ['network-ops', 'networks', ['network:read']]);
      await fails(admin.client.call('roles.update', { params: { id: role.id }, body: { name: 'viewer' } }), 409, 'ALREADY_EXISTS');
      await admin.client.call('roles.delete', { params: { id: role.id } });
      await fails(admin.client.call('roles.get', { params: { id: role.id } }), 404, 'NOT_FOUND');
    });

    it('validates permissions against the permission list', async () => {
      const err = await fails(admin.client.call('roles.create', { body: { name: 'bogus', permissions: ['vm:fly'] as never } }), 400, 'VALIDATION_FAILED');
      assert.equal(err.problem.errors?.[0].path, 'permissions.0');
      await fails(admin.client.call('roles.create', { body: { name: 'Upper Case', permissions: [] } }), 400, 'VALIDATION_FAILED');
    });

    it('keeps built-in roles read-only', async () => {
      for (const name of Object.keys(builtinRoles)) {
        const role = await admin.client.call('roles.get', { params: { id: name } });
        await fails(admin.client.call('roles.update', { params: { id: role.id }, body: { description: 'mine now' } }), 409, 'INVALID_STATE');
        await fails(admin.client.call('roles.update', { params: { id: role.id }, body: { permissions: [] } }), 409, 'INVALID_STATE');
        await fails(admin.client.call('roles.delete', { params: { id: role.id } }), 409, 'INVALID_STATE');
      }
      const viewer = await admin.client.call('roles.get', { params: { id: 'viewer' } });
      assert.deepEqual(viewer.permissions, [...builtinRoles.viewer.permissions].sort());
    });

    it('refuses to delete a role that is bound or carried by a token', async () => {
      const role = await admin.client.call('roles.create', { body: { name: 'bound-role', permissions: ['vm:read'] } });
      const user = await createUser(srv, { role: 'bound-role' });
      await fails(admin.client.call('roles.delete', { params: { id: role.id } }), 409, 'IN_USE');
      await admin.client.call('users.setRoles', { params: { id: user.user.id }, body: [] });
      await admin.client.call('roles.delete', { params: { id: role.id } });
      const carried = await admin.client.call('roles.create', { body: { name: 'token-role', permissions: ['vm:read'] } });
      const { token } = await admin.client.call('tokens.create', { body: { name: 'ci', role: 'token-role' } });
      await fails(admin.client.call('roles.delete', { params: { id: carried.id } }), 409, 'IN_USE');
      await admin.client.call('tokens.revoke', { params: { id: token.id } });
      await admin.client.call('roles.delete', { params: { id: carried.id } });
    });

    it('a role editor cannot put permissions into a role that it does not hold globally', async () => {
      const editor = await userWithPermissions(srv, 'role-editor', ['role:read', 'role:admin', 'vm:read'], { global: true });
      await fails(editor.client.call('roles.create', { body: { name: 'sneaky', permissions: ['vm:read', 'user:admin'] } }), 403, 'PRIVILEGE_ESCALATION');
      const mine = await editor.client.call('roles.create', { body: { name: 'readers', permissions: ['vm:read'] } });
      await fails(editor.client.call('roles.update', { params: { id: mine.id }, body: { permissions: ['vm:read', 'vm:delete'] } }), 403, 'PRIVILEGE_ESCALATION');
      // Its own role is a role like any other: it cannot widen it to reach further.
      const own = await editor.client.call('roles.get', { params: { id: 'role-editor' } });
      await fails(editor.client.call('roles.update', { params: { id: own.id }, body: { permissions: [...own.permissions, 'settings:write'] } }), 403, 'PRIVILEGE_ESCALATION');
      // Narrowing a role that holds more than the editor is allowed (it raises nobody).
      const wide = await admin.client.call('roles.create', { body: { name: 'wide', permissions: ['vm:read', 'vm:delete'] } });
      assert.deepEqual((await editor.client.call('roles.update', { params: { id: wide.id }, body: { permissions: ['vm:read'] } })).permissions, ['vm:read']);
    });

    it('needs role:admin to change and role:read to read', async () => {
      const viewer = await createUser(srv, { role: 'viewer', global: true });
      await viewer.client.call('roles.list');
      await fails(viewer.client.call('roles.create', { body: { name: 'x', permissions: [] } }), 403, 'FORBIDDEN');
      const nobody = await createUser(srv, {});
      await fails(nobody.client.call('permissions.list'), 403, 'FORBIDDEN');
    });
  });
}
