import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routes, type AuditEntry, type RouteDef, type Tenant } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';
import { fails } from './admin-test-helpers';

for (const dialect of TEST_DIALECTS) {
  describe(`audit log API on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let acme: Tenant;
    let globex: Tenant;
    let acmeAuditor: TestUser;
    let auditor: TestUser;
    let start: string;

    async function all(client: TestUser['client'], query: Record<string, string> = {}): Promise<AuditEntry[]> {
      const out: AuditEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.call('audit.list', { query: { ...query, limit: 3, cursor } });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out;
    }

    before(async () => {
      srv = await startTestServer({ dialect });
      start = new Date(Date.now() - 1000).toISOString();
      admin = await srv.admin();
      acme = await admin.client.call('tenants.create', { body: { name: 'acme' } });
      globex = await admin.client.call('tenants.create', { body: { name: 'globex' } });
      acmeAuditor = await createUser(srv, { tenant: 'acme', role: 'auditor' });
      auditor = await createUser(srv, { role: 'auditor', global: true });
      await admin.client.call('users.create', { body: { email: 'a1@example.com', name: 'A1', tenantId: acme.id } });
      await admin.client.call('users.create', { body: { email: 'g1@example.com', name: 'G1', tenantId: globex.id } });
      await fails(admin.client.call('users.create', { body: { email: 'a1@example.com', name: 'A1', tenantId: acme.id } }), 409, 'ALREADY_EXISTS');
      await fails(acmeAuditor.client.call('tenants.create', { body: { name: 'nope' } }), 403, 'FORBIDDEN');
      await admin.client.call('roles.create', { body: { name: 'global-thing', permissions: [] } });
    });
    after(() => srv.close());

    it('pages newest first on seq without gaps or overlaps', async () => {
      const entries = await all(admin.client);
      const seqs = entries.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
      assert.equal(new Set(seqs).size, seqs.length);
      assert.equal(seqs[seqs.length - 1], 1);
      assert.equal(seqs[0], seqs.length);
      await fails(admin.client.call('audit.list', { query: { cursor: Buffer.from('{"after":"x"}').toString('base64url') } }), 400, 'INVALID_CURSOR');
    });

    it('filters by actor, action prefix, tenant, target, outcome and time', async () => {
      const created = await all(admin.client, { action: 'users.create' });
      assert.equal(created.length, 3);
      assert.ok((await all(admin.client, { action: 'users.' })).length >= 3);
      assert.equal((await all(admin.client, { action: 'USERS.' })).length, 0, 'prefix is case-sensitive');
      assert.equal((await all(admin.client, { action: 'users%' })).length, 0, 'no wildcards');
      const byEmail = await all(admin.client, { actor: admin.email });
      assert.deepEqual(byEmail.map((e) => e.seq), (await all(admin.client, { actor: admin.user.id })).map((e) => e.seq));
      assert.ok(byEmail.every((e) => e.actorId === admin.user.id));
      const failures = await all(admin.client, { outcome: 'failure' });
      assert.deepEqual(failures.map((e) => [e.action, e.details.error]), [['users.create', 'ALREADY_EXISTS']]);
      const denied = await all(admin.client, { outcome: 'denied' });
      assert.deepEqual(denied.map((e) => [e.action, e.target]), [['permission.denied', 'tenants.create']]);
      assert.deepEqual((await all(admin.client, { tenant: globex.id, action: 'users.' })).map((e) => e.details.email), ['g1@example.com']);
      const target = created.find((e) => e.outcome === 'success')?.target;
      assert.ok(target);
      assert.equal((await all(admin.client, { target })).length, 1);
      assert.equal((await all(admin.client, { since: new Date(Date.now() + 60_000).toISOString() })).length, 0);
      assert.equal((await all(admin.client, { until: start })).length, 0);
      assert.ok((await all(admin.client, { since: start.replace('Z', '+00:00') })).length > 0);
      await fails(admin.client.call('audit.list', { query: { since: 'yesterday' } }), 400, 'VALIDATION_FAILED');
    });

    it('shows a tenant auditor only its tenant\'s entries', async () => {
      const mine = await all(acmeAuditor.client);
      assert.ok(mine.length >= 2);
      assert.ok(mine.every((e) => e.tenantId === acme.id));
      assert.equal((await all(acmeAuditor.client, { tenant: globex.id })).length, 0);
      const everything = await all(auditor.client);
      assert.ok(everything.some((e) => e.tenantId === globex.id));
      assert.ok(everything.some((e) => e.tenantId === null));
      const operator = await createUser(srv, { tenant: 'acme', role: 'operator' });
      await fails(operator.client.call('audit.list'), 403, 'FORBIDDEN');
    });

    it('verifies the chain for global auditors and names the first altered entry', async () => {
      await fails(acmeAuditor.client.call('audit.verify'), 403, 'FORBIDDEN');
      const ok = await auditor.client.call('audit.verify');
      assert.equal(ok.ok, true);
      assert.ok(ok.entries > 5);
      await srv.services.store.db.updateTable('audit_log').set({ actor_label: 'someone else' }).where('seq', '=', 3).execute();
      assert.deepEqual(await auditor.client.call('audit.verify'), { ok: false, entries: 2, firstBrokenSeq: 3, reason: 'entry altered' });
    });

    it('offers no way to change or delete entries', async () => {
      const auditRoutes = Object.values(routes as Record<string, RouteDef>).filter((r) => r.path.startsWith('/api/v1/audit'));
      assert.ok(auditRoutes.length >= 2);
      assert.ok(auditRoutes.every((r) => r.method === 'GET'));
      for (const method of ['DELETE', 'PUT', 'PATCH', 'POST']) {
        const res = await fetch(`${srv.url}/api/v1/audit`, { method, headers: { authorization: `Bearer ${admin.token}` } });
        assert.equal(res.status, 404, method);
        assert.equal((await res.json()).code, 'ROUTE_NOT_FOUND');
      }
    });
  });
}
