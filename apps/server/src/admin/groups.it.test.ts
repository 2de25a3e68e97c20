import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Group, Tenant } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';
import { fails, twoTenantsWithAdmins, userWithPermissions } from './admin-test-helpers';

for (const dialect of TEST_DIALECTS) {
  describe(`groups on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let acme: Tenant;
    let globex: Tenant;
    let acmeAdmin: TestUser;
    let globexAdmin: TestUser;
    let seq = 0;
    const name = (p: string) => `${p}-${++seq}`;
    const count = async (table: 'group_members' | 'group_role_bindings', groupId: string) =>
      Number((await srv.services.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('group_id', '=', groupId).executeTakeFirstOrThrow()).n);

    before(async () => {
      srv = await startTestServer({ dialect });
      ({ admin, acme, globex, acmeAdmin, globexAdmin } = await twoTenantsWithAdmins(srv));
    });
    after(() => srv.close());

    it('a member gains what the group is bound to, and loses it on the next request when removed, unbound or the group goes', async () => {
      const alice = await createUser(srv, { tenant: 'acme' });
      await fails(alice.client.call('vms.list', {}), 403, 'FORBIDDEN');
      const group = await acmeAdmin.client.call('groups.create', { body: { name: name('viewers'), tenantId: acme.id } });
      assert.deepEqual(await acmeAdmin.client.call('groups.setRoles', { params: { id: group.id }, body: [{ role: 'viewer', tenantId: acme.id }] }), [
        { role: 'viewer', tenantId: acme.id },
      ]);
      const member = await acmeAdmin.client.call('groups.addMember', { params: { id: group.id, userId: alice.user.id } });
      assert.equal(member.email, alice.email);

      // The same access token: permissions are read with the session on every request, nothing stale is cached.
      await alice.client.call('vms.list', {});
      const me = await alice.client.call('auth.me', {});
      assert.ok(me.permissions.tenants[acme.id].includes('vm:read'));
      assert.equal(me.permissions.tenants[globex.id], undefined);
      assert.deepEqual(me.permissions.global, []);
      await fails(alice.client.call('tenants.get', { params: { id: globex.id } }), 404, 'NOT_FOUND');
      assert.equal((await alice.client.call('tenants.get', { params: { id: acme.id } })).id, acme.id);
      // Direct bindings are unchanged: the grant is the group's.
      assert.deepEqual((await admin.client.call('users.get', { params: { id: alice.user.id } })).roles, []);
      // An API token is judged against what the owner holds now, groups included.
      const token = await alice.client.call('tokens.create', { body: { name: 'ci', role: 'viewer', tenantId: acme.id } });
      const bot = srv.client(token.secret);
      await bot.call('vms.list', {});

      await acmeAdmin.client.call('groups.removeMember', { params: { id: group.id, userId: alice.user.id } });
      await fails(alice.client.call('vms.list', {}), 403, 'FORBIDDEN');
      await fails(bot.call('vms.list', {}), 403, 'FORBIDDEN');
      await fails(acmeAdmin.client.call('groups.removeMember', { params: { id: group.id, userId: alice.user.id } }), 404, 'NOT_FOUND');

      await acmeAdmin.client.call('groups.addMember', { params: { id: group.id, userId: alice.user.id } });
      await alice.client.call('vms.list', {});
      await acmeAdmin.client.call('groups.setRoles', { params: { id: group.id }, body: [] });
      await fails(alice.client.call('vms.list', {}), 403, 'FORBIDDEN');

      await acmeAdmin.client.call('groups.setRoles', { params: { id: group.id }, body: [{ role: 'viewer', tenantId: acme.id }] });
      await alice.client.call('vms.list', {});
      await acmeAdmin.client.call('groups.delete', { params: { id: group.id } });
      await fails(alice.client.call('vms.list', {}), 403, 'FORBIDDEN');
      assert.equal(await count('group_members', group.id), 0);
      assert.equal(await count('group_role_bindings', group.id), 0);
      await fails(acmeAdmin.client.call('groups.get', { params: { id: group.id } }), 404, 'NOT_FOUND');
    });

    it('disabled members stay denied whatever their groups grant', async () => {
      const bob = await createUser(srv, { tenant: 'acme' });
      const group = await admin.client.call('groups.create', { body: { name: name('ops'), tenantId: acme.id } });
      await admin.client.call('groups.setRoles', { params: { id: group.id }, body: [{ role: 'operator', tenantId: acme.id }] });
      await admin.client.call('groups.addMember', { params: { id: group.id, userId: bob.user.id } });
      await bob.client.call('vms.list', {});
      await admin.client.call('users.update', { params: { id: bob.user.id }, body: { disabled: true } });
      const err = await bob.client.call('vms.list', {}).then(() => null, (e: { status: number }) => e);
      assert.equal(err?.status, 401);
    });

    it('global groups grant everywhere and only global user administrators see or change them', async () => {
      const carol = await createUser(srv, { tenant: 'globex' });
      const group = await admin.client.call('groups.create', { body: { name: name('auditors') } });
      assert.equal(group.tenantId, null);
      await admin.client.call('groups.setRoles', { params: { id: group.id }, body: [{ role: 'viewer', tenantId: null }, { role: 'operator', tenantId: globex.id }] });
      await admin.client.call('groups.addMember', { params: { id: group.id, userId: carol.user.id } });
      const me = await carol.client.call('auth.me', {});
      assert.ok(me.permissions.global.includes('vm:read'));
      assert.ok(me.permissions.tenants[globex.id].includes('vm:power'));
      assert.equal((await admin.client.call('groups.get', { params: { id: group.id } })).members, 1);

      await fails(acmeAdmin.client.call('groups.create', { body: { name: name('mine') } }), 403, 'FORBIDDEN');
      await fails(acmeAdmin.client.call('groups.get', { params: { id: group.id } }), 404, 'NOT_FOUND');
      assert.ok(!(await acmeAdmin.client.call('groups.list', { query: { limit: 1000 } })).items.some((g) => g.id === group.id));
      assert.ok((await admin.client.call('groups.list', { query: { limit: 1000 } })).items.some((g) => g.id === group.id));
    });

    it('groups are tenant-isolated: another tenant answers 404, and a tenant\'s group holds and binds only that tenant', async () => {
      const group = await acmeAdmin.client.call('groups.create', { body: { name: name('dev'), tenantId: acme.id } });
      const dave = await createUser(srv, { tenant: 'acme' });
      const erin = await createUser(srv, { tenant: 'globex' });
      await acmeAdmin.client.call('groups.addMember', { params: { id: group.id, userId: dave.user.id } });
      const id = { id: group.id };
      await fails(globexAdmin.client.call('groups.get', { params: id }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.update', { params: id, body: { description: 'x' } }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.delete', { params: id }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.members', { params: id }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.getRoles', { params: id }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.setRoles', { params: id, body: [] }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.addMember', { params: { ...id, userId: erin.user.id } }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.removeMember', { params: { ...id, userId: dave.user.id } }), 404, 'NOT_FOUND');
      await fails(globexAdmin.client.call('groups.create', { body: { name: name('x'), tenantId: acme.id } }), 404, 'NOT_FOUND');
      assert.ok(!(await globexAdmin.client.call('groups.list', { query: {} })).items.some((g) => g.id === group.id));
      // Users of another tenant: invisible to the tenant admin, refused by the group even for a global admin.
      await fails(acmeAdmin.client.call('groups.addMember', { params: { ...id, userId: erin.user.id } }), 404, 'NOT_FOUND');
      await fails(admin.client.call('groups.addMember', { params: { ...id, userId: erin.user.id } }), 409, 'INVALID_STATE');
      const bad = await fails(admin.client.call('groups.setRoles', { params: id, body: [{ role: 'viewer', tenantId: globex.id }] }), 400, 'VALIDATION_FAILED');
      assert.equal(bad.problem.errors?.[0].path, '0.tenantId');
      await fails(admin.client.call('groups.setRoles', { params: id, body: [{ role: 'viewer', tenantId: null }] }), 400, 'VALIDATION_FAILED');
      await fails(acmeAdmin.client.call('groups.setRoles', { params: id, body: [{ role: 'viewer', tenantId: globex.id }] }), 400, 'VALIDATION_FAILED');
      // A user moved to another tenant leaves the old tenant's groups.
      await admin.client.call('users.update', { params: { id: dave.user.id }, body: { tenantId: globex.id } });
      assert.equal((await admin.client.call('groups.members', { params: id })).items.length, 0);
    });

    it('nobody gains or hands out through a group more than they could bind directly', async () => {
      await userWithPermissions(srv, 'vm-reader', ['vm:read']);
      const lead = await userWithPermissions(srv, 'team-lead', ['user:read', 'user:admin', 'vm:read'], { tenant: 'acme' });
      const strong = await acmeAdmin.client.call('groups.create', { body: { name: name('strong'), tenantId: acme.id } });
      await acmeAdmin.client.call('groups.setRoles', { params: { id: strong.id }, body: [{ role: 'operator', tenantId: acme.id }] });
      const frank = await createUser(srv, { tenant: 'acme' });
      await acmeAdmin.client.call('groups.addMember', { params: { id: strong.id, userId: frank.user.id } });

      // Self-escalation: the lead cannot join a group carrying more than it holds, nor add others, remove, rebind or delete it.
      await fails(lead.client.call('groups.addMember', { params: { id: strong.id, userId: lead.user.id } }), 403, 'PRIVILEGE_ESCALATION');
      assert.ok(!(await lead.client.call('auth.me', {})).permissions.tenants[acme.id].includes('vm:power'));
      await fails(lead.client.call('groups.removeMember', { params: { id: strong.id, userId: frank.user.id } }), 403, 'PRIVILEGE_ESCALATION');
      await fails(lead.client.call('groups.setRoles', { params: { id: strong.id }, body: [] }), 403, 'PRIVILEGE_ESCALATION');
      await fails(lead.client.call('groups.delete', { params: { id: strong.id } }), 403, 'PRIVILEGE_ESCALATION');
      // Nor manage a user who holds more through a group than the lead could grant.
      await fails(lead.client.call('users.update', { params: { id: frank.user.id }, body: { name: 'F' } }), 403, 'PRIVILEGE_ESCALATION');

      // What it holds, it may pass on, to itself too.
      const mine = await lead.client.call('groups.create', { body: { name: name('readers'), tenantId: acme.id } });
      await fails(lead.client.call('groups.setRoles', { params: { id: mine.id }, body: [{ role: 'operator', tenantId: acme.id }] }), 403, 'PRIVILEGE_ESCALATION');
      await lead.client.call('groups.setRoles', { params: { id: mine.id }, body: [{ role: 'vm-reader', tenantId: acme.id }] });
      await lead.client.call('groups.addMember', { params: { id: mine.id, userId: lead.user.id } });
      await lead.client.call('groups.addMember', { params: { id: mine.id, userId: frank.user.id } });
      // Only the group's own bindings: a role the lead could not bind to the group stays out even now that it is a member.
      await fails(lead.client.call('groups.setRoles', { params: { id: mine.id }, body: [{ role: 'viewer', tenantId: acme.id }] }), 403, 'PRIVILEGE_ESCALATION');

      // Without user:admin nothing changes at all.
      const reader = await userWithPermissions(srv, 'user-reader', ['user:read'], { tenant: 'acme' });
      assert.equal((await reader.client.call('groups.get', { params: { id: mine.id } })).id, mine.id);
      await fails(reader.client.call('groups.addMember', { params: { id: mine.id, userId: reader.user.id } }), 403, 'FORBIDDEN');
    });

    it('creates, lists with filters and pages, renames, refuses duplicates, and audits in the group\'s tenant', async () => {
      const made: Group[] = [];
      for (const n of ['Blue-1', 'Blue-2', 'Red-1']) made.push(await admin.client.call('groups.create', { body: { name: `${n}-${seq}`, description: 'd', tenantId: globex.id } }));
      await fails(admin.client.call('groups.create', { body: { name: made[0].name, tenantId: globex.id } }), 409, 'ALREADY_EXISTS');
      // The same name is fine in another tenant and globally.
      await admin.client.call('groups.create', { body: { name: made[0].name, tenantId: acme.id } });
      await admin.client.call('groups.create', { body: { name: made[0].name } });
      await fails(admin.client.call('groups.create', { body: { name: made[0].name, tenantId: null } }), 409, 'ALREADY_EXISTS');
      await fails(admin.client.call('groups.create', { body: { name: 'x', tenantId: 'no-such-tenant' } }), 404, 'NOT_FOUND');
      await fails(admin.client.call('groups.create', { body: { name: 'x', extra: 1 } as never }), 400, 'VALIDATION_FAILED');

      const blue = await admin.client.call('groups.list', { query: { tenant: globex.id, name: 'BLUE' } });
      assert.deepEqual(blue.items.map((g) => g.id).sort(), [made[0].id, made[1].id].sort());
      assert.equal((await admin.client.call('groups.list', { query: { name: '%' } })).items.length, 0);
      const first = await admin.client.call('groups.list', { query: { tenant: globex.id, limit: 2 } });
      assert.equal(first.items.length, 2);
      assert.ok(first.nextCursor);
      const rest = await admin.client.call('groups.list', { query: { tenant: globex.id, limit: 2, cursor: first.nextCursor! } });
      assert.deepEqual([...first.items, ...rest.items].map((g) => g.id).sort(), made.map((g) => g.id).sort());

      const renamed = await admin.client.call('groups.update', { params: { id: made[2].id }, body: { name: `Green-${seq}`, description: 'new' } });
      assert.equal(renamed.name, `Green-${seq}`);
      assert.equal(renamed.description, 'new');
      await fails(admin.client.call('groups.update', { params: { id: made[2].id }, body: { name: made[0].name } }), 409, 'ALREADY_EXISTS');

      const gina = await createUser(srv, { tenant: 'globex' });
      await globexAdmin.client.call('groups.addMember', { params: { id: made[0].id, userId: gina.user.id } });
      await globexAdmin.client.call('groups.addMember', { params: { id: made[0].id, userId: gina.user.id } });
      const members = await globexAdmin.client.call('groups.members', { params: { id: made[0].id } });
      assert.deepEqual(members.items.map((m) => m.email), [gina.email]);
      const audit = await admin.client.call('audit.list', { query: { action: 'groups.addMember', target: made[0].id } });
      assert.equal(audit.items.length, 2);
      assert.equal(audit.items[0].tenantId, globex.id);
      assert.equal(audit.items[0].details.email, gina.email);

      // A role bound to a group is in use.
      const role = await admin.client.call('roles.create', { body: { name: `grp-role-${seq}`, permissions: ['vm:read'] } });
      await admin.client.call('groups.setRoles', { params: { id: made[0].id }, body: [{ role: role.name, tenantId: globex.id }] });
      await fails(admin.client.call('roles.delete', { params: { id: role.id } }), 409, 'IN_USE');
      await admin.client.call('groups.delete', { params: { id: made[0].id } });
      await admin.client.call('roles.delete', { params: { id: role.id } });
      const deleted = await admin.client.call('audit.list', { query: { action: 'groups.delete', target: made[0].id } });
      assert.equal(deleted.items[0].tenantId, globex.id);
    });
  });
}
