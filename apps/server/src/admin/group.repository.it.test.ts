// Groups in the store on both engines: the per-request access query sees group bindings in one statement, deletes and
// tenant moves take memberships and bindings with them, names are unique per tenant (and among global groups).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { AccountRepository } from '../auth/account.repository';
import { ensureTenant, seed } from '../auth/seed';
import { SessionRepository } from '../auth/session.repository';
import { systemClock } from '../lib/clock';
import { newId } from '../lib/ids';
import { openStore, type Store } from '../store/db';
import { migrate } from '../store/migrate';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../testing/test-database';
import { GroupRepository } from './group.repository';
import { isUniqueViolation } from './store-errors';

for (const dialect of TEST_DIALECTS) {
  describe(`group repository on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let accounts: AccountRepository;
    let groups: GroupRepository;
    let t1: string;
    let t2: string;
    const now = new Date().toISOString();
    const role = async (name: string) => (await accounts.roleByNameOrId(name))!.id;

    async function user(tenantId: string): Promise<{ userId: string; sessionId: string }> {
      const userId = newId();
      await accounts.insertUser({
        id: userId, tenant_id: tenantId, email: `${userId}@example.com`, name: 'U', password_hash: null, disabled: 0, email_verified: 1,
        totp_secret: null, totp_enabled: 0, recovery_codes: '[]', totp_last_step: null, created_at: now, updated_at: now, last_login_at: null,
      });
      const sessionId = newId();
      await new SessionRepository(store).create(
        { id: sessionId, user_id: userId, created_at: now, last_used_at: now, expires_at: '2999-01-01T00:00:00.000Z', revoked_at: null, revoked_reason: null, user_agent: '', ip: '' },
        { id: newId(), session_id: sessionId, token_hash: newId(), created_at: now, used_at: null },
      );
      return { userId, sessionId };
    }

    async function group(tenantId: string | null, bindings: { role: string; tenantId: string | null }[] = []): Promise<string> {
      const id = newId();
      await groups.insert({ id, tenant_id: tenantId, name: `g-${id}`, description: '', created_at: now, updated_at: now });
      await groups.replaceBindings(id, await Promise.all(bindings.map(async (b) => ({ id: newId(), group_id: id, role_id: await role(b.role), tenant_id: b.tenantId, created_at: now }))));
      return id;
    }

    before(async () => {
      database = await createTestDatabase(dialect);
      store = openStore(database.url);
      await migrate(store);
      accounts = new AccountRepository(store);
      groups = new GroupRepository(store);
      await seed(accounts, systemClock);
      t1 = (await ensureTenant(accounts, 't1', systemClock)).id;
      t2 = (await ensureTenant(accounts, 't2', systemClock)).id;
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    it('the access query returns direct and group bindings in one statement', async () => {
      const { userId, sessionId } = await user(t1);
      await accounts.insertBinding({ id: newId(), user_id: userId, role_id: await role('auditor'), tenant_id: t2, created_at: now });
      const g1 = await group(t1, [{ role: 'viewer', tenantId: t1 }]);
      const g2 = await group(null, [{ role: 'operator', tenantId: null }, { role: 'viewer', tenantId: t2 }]);
      await groups.addMember({ group_id: g1, user_id: userId, created_at: now });
      await groups.addMember({ group_id: g2, user_id: userId, created_at: now });
      await groups.addMember({ group_id: g2, user_id: userId, created_at: now }); // idempotent

      let statements = 0;
      const counting: KyselyPlugin = {
        // Called once per executed statement (transformQuery also runs for each nested select of a union).
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          statements++;
          return args.result;
        },
      };
      const access = await new SessionRepository({ ...store, db: store.db.withPlugin(counting) }).withAccess(sessionId);
      assert.equal(statements, 1);
      assert.ok(access);
      assert.equal(access.user.id, userId);
      const perms = (tenant: string | null) => access.bindings.filter((b) => b.tenant_id === tenant).map((b) => JSON.parse(b.permissions) as string[]);
      assert.equal(access.bindings.length, 4);
      assert.ok(perms(t1)[0].includes('vm:read'));
      assert.ok(perms(null)[0].includes('vm:power'));
      assert.equal(perms(t2).length, 2);

      const viaAccounts = await accounts.bindings(userId);
      assert.deepEqual(viaAccounts.map((b) => b.role_name).sort(), ['auditor', 'operator', 'viewer', 'viewer']);

      // Without any binding the user row still comes back, with no bindings.
      const bare = await user(t1);
      const bareAccess = await new SessionRepository(store).withAccess(bare.sessionId);
      assert.equal(bareAccess?.user.id, bare.userId);
      assert.deepEqual(bareAccess?.bindings, []);
      // Group bindings without direct ones.
      await groups.addMember({ group_id: g1, user_id: bare.userId, created_at: now });
      assert.equal((await new SessionRepository(store).withAccess(bare.sessionId))?.bindings.length, 1);
      assert.equal(await new SessionRepository(store).withAccess('no-such-session'), undefined);
    });

    it('deleting a group removes its memberships and bindings; removing a member ends what it gave', async () => {
      const { userId } = await user(t1);
      const g = await group(t1, [{ role: 'viewer', tenantId: t1 }]);
      await groups.addMember({ group_id: g, user_id: userId, created_at: now });
      assert.equal((await accounts.bindings(userId)).length, 1);
      assert.equal(await groups.removeMember(g, userId), true);
      assert.equal(await groups.removeMember(g, userId), false);
      assert.equal((await accounts.bindings(userId)).length, 0);
      await groups.addMember({ group_id: g, user_id: userId, created_at: now });
      await groups.delete(g);
      assert.equal(await groups.get(g, 'all'), undefined);
      assert.deepEqual(await groups.bindings([g]), []);
      assert.deepEqual(await groups.members(g, { limit: 10 }), []);
      assert.equal((await accounts.bindings(userId)).length, 0);
    });

    it('scopes reads by tenant (global groups only in the `all` scope) and leaves other tenants\' groups on a move', async () => {
      const a = await group(t1);
      const b = await group(t2);
      const c = await group(null);
      // Ids made in the same millisecond sort randomly among themselves: compare as sets.
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id).filter((id) => [a, b, c].includes(id)).sort();
      assert.deepEqual(ids(await groups.list('all', { limit: 1000 })), [a, b, c].sort());
      assert.deepEqual(ids(await groups.list([t1], { limit: 1000 })), [a]);
      assert.deepEqual(ids(await groups.list([], { limit: 1000 })), []);
      assert.equal(await groups.get(c, [t1, t2]), undefined);
      assert.equal((await groups.get(a, [t1]))?.id, a);

      const { userId } = await user(t1);
      for (const g of [a, b, c]) await groups.addMember({ group_id: g, user_id: userId, created_at: now });
      await groups.leaveOtherTenants(userId, t2);
      assert.equal((await groups.members(a, { limit: 10 })).length, 0);
      assert.equal((await groups.members(b, { limit: 10 })).length, 1);
      assert.equal((await groups.members(c, { limit: 10 })).length, 1);
    });

    it('names are unique per tenant and among global groups', async () => {
      const row = (tenant: string | null) => ({ id: newId(), tenant_id: tenant, name: 'same', description: '', created_at: now, updated_at: now });
      await groups.insert(row(t1));
      await groups.insert(row(t2));
      await groups.insert(row(null));
      for (const tenant of [t1, null]) {
        const err = await groups.insert(row(tenant)).then(() => null, (e: unknown) => e);
        assert.ok(isUniqueViolation(err), `duplicate in ${tenant}: ${String(err)}`);
      }
      assert.equal((await groups.byName(null, 'same'))?.tenant_id, null);
      assert.equal((await groups.byName(t2, 'same'))?.tenant_id, t2);
    });
  });
}
