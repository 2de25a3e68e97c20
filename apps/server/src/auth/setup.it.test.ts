import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TEST_DIALECTS } from '../testing/test-database';
import { expectProblem } from '../testing/expect-problem';
import { startTestServer, type TestServer } from '../testing/test-server';
import { TEST_PASSWORD } from '../testing/test-users';
import { loadConfig } from '../config';
import { systemClock } from '../lib/clock';
import { createServices } from '../services';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';
import { bootstrap } from './bootstrap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

for (const dialect of TEST_DIALECTS) {
  describe(`first-run setup on ${dialect}`, () => {
    let srv: TestServer;
    before(async () => {
      srv = await startTestServer({ dialect });
    });
    after(() => srv.close());

    it('reports setup required and issues a setup token', async () => {
      assert.match(srv.setupToken ?? '', /^ncs_[A-Za-z0-9_-]{43}$/);
      const config = await srv.client().call('auth.config');
      assert.equal(config.setupRequired, true);
      assert.equal(config.registration, 'invite');
    });

    it('refuses a wrong setup token and a weak password, without burning the token', async () => {
      const body = { setupToken: `ncs_${'A'.repeat(43)}`, email: 'root@example.com', password: TEST_PASSWORD, name: 'Root' };
      await expectProblem(srv.client().call('auth.setup', { body }), 'INVALID_TOKEN', 400);
      await expectProblem(srv.client().call('auth.setup', { body: { ...body, setupToken: srv.setupToken!, password: 'short' } }), 'WEAK_PASSWORD', 400);
      assert.equal((await srv.client().call('auth.config')).setupRequired, true);
    });

    it('creates the first admin with the setup token, signed in with global admin permissions', async () => {
      const result = await srv.client().call('auth.setup', {
        body: { setupToken: srv.setupToken!, email: 'Root@Example.com', password: TEST_PASSWORD, name: 'Root' },
      });
      assert.equal(result.user.email, 'root@example.com');
      assert.equal(result.user.emailVerified, true);
      assert.ok(result.user.permissions.global.includes('user:admin'));
      assert.ok(result.user.permissions.global.includes('settings:write'));
      const me = await srv.client(result.accessToken).call('auth.me');
      assert.equal(me.id, result.user.id);
      assert.equal((await srv.client().call('auth.config')).setupRequired, false);
      const login = await srv.client().call('auth.login', { body: { email: 'root@example.com', password: TEST_PASSWORD } });
      assert.equal(login.user.id, result.user.id);
    });

    it('refuses a second setup: ALREADY_SET_UP', async () => {
      await expectProblem(
        srv.client().call('auth.setup', { body: { setupToken: srv.setupToken!, email: 'evil@example.com', password: TEST_PASSWORD, name: 'Evil' } }),
        'ALREADY_SET_UP', 409,
      );
      await expectProblem(srv.client().call('auth.login', { body: { email: 'evil@example.com', password: TEST_PASSWORD } }), 'INVALID_CREDENTIALS');
    });

    it('audits setup with the new admin as actor', async () => {
      const rows = await srv.services.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.setup').orderBy('seq').execute();
      assert.deepEqual(rows.map((r) => r.outcome), ['failure', 'failure', 'success', 'failure']);
      assert.equal(rows[2].actor_label, 'root@example.com');
      assert.ok(!rows.some((r) => r.details.includes(srv.setupToken!)), 'the token never reaches the audit log');
    });
  });
}

describe('admin from the environment', () => {
  it('creates NOVACRON_ADMIN_EMAIL as a verified global admin and issues no setup token', async () => {
    const srv = await startTestServer({ env: { NOVACRON_ADMIN_EMAIL: 'ops@example.com', NOVACRON_ADMIN_PASSWORD: TEST_PASSWORD } });
    try {
      assert.equal(srv.setupToken, undefined);
      assert.equal((await srv.client().call('auth.config')).setupRequired, false);
      const login = await srv.client().call('auth.login', { body: { email: 'ops@example.com', password: TEST_PASSWORD } });
      assert.equal(login.user.emailVerified, true);
      assert.ok(login.user.permissions.global.includes('role:admin'));
      await expectProblem(
        srv.client().call('auth.setup', { body: { setupToken: `ncs_${'A'.repeat(43)}`, email: 'x@example.com', password: TEST_PASSWORD, name: 'X' } }),
        'ALREADY_SET_UP',
      );
    } finally {
      await srv.close();
    }
  });

  it('refuses to start with a weak NOVACRON_ADMIN_PASSWORD, and seeding is idempotent', async () => {
    const database = await createTestDatabase('sqlite');
    const dataDir = mkdtempSync(join(tmpdir(), 'novacron-boot-'));
    const store = openStore(database.url);
    try {
      await migrate(store);
      const weak = loadConfig({ NOVACRON_DATA_DIR: dataDir, NOVACRON_DATABASE_URL: database.url, NOVACRON_ADMIN_EMAIL: 'a@example.com', NOVACRON_ADMIN_PASSWORD: 'abc' });
      await assert.rejects(bootstrap(createServices(weak, store, systemClock)), /NOVACRON_ADMIN_PASSWORD: password needs at least 12 characters/);
      const plain = loadConfig({ NOVACRON_DATA_DIR: dataDir, NOVACRON_DATABASE_URL: database.url });
      const services = createServices(plain, store, systemClock);
      const first = await bootstrap(services);
      const second = await bootstrap(services);
      assert.ok(first.setupToken && second.setupToken && first.setupToken !== second.setupToken);
      // Only the newest setup token works: a restart voids the one printed before.
      await assert.rejects(services.identity.oneTime.peek('setup', first.setupToken), /invalid, used or expired/);
      await services.identity.oneTime.peek('setup', second.setupToken);
      const roles = await store.db.selectFrom('roles').select(['name', 'builtin']).orderBy('name').execute();
      assert.deepEqual(roles.map((r) => [r.name, Number(r.builtin)]), [['admin', 1], ['auditor', 1], ['operator', 1], ['viewer', 1]]);
      const tenants = await store.db.selectFrom('tenants').select('name').execute();
      assert.deepEqual(tenants.map((t) => t.name), ['default']);
    } finally {
      await store.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
