// The authorization matrix: every route of the contract, checked for authentication, permission and tenant isolation.
// Routes are read from `routes` in @novacron/api, so a new route is checked (or fails as uncovered) without editing this file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorCodes, globalOnlyPermissions, permissions, routes, type Permission, type RouteDef } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { asStrings, sampleOf } from '../testing/schema-sample';
import { startTestServer, type TestServer } from '../testing/test-server';
import { quickRole, quickUser, type QuickUser } from '../testing/quick-users';
import type { TestUser } from '../testing/test-users';
import { tenantFixtures } from './authz-fixtures';

const all = Object.entries(routes as Record<string, RouteDef>);
const RANDOM_ID = '01zzzzzzzzzzzzzzzzzzzzzz';
const globalOnly = new Set<Permission>(globalOnlyPermissions);

/** The family of a route: first path segment after /api/v1/. */
const familyOf = (def: RouteDef) => def.path.split('/')[3] ?? '';
const pathParams = (def: RouteDef) => [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
const needsIsolation = (def: RouteDef) => Boolean(def.tenantScoped) && pathParams(def).includes('id');

interface Answer {
  status: number;
  type: string;
  body: { code?: string } | null;
}

/** A request built from the route's schemas: sampled params, query and body, so only authorization can fail it. */
async function send(srv: TestServer, def: RouteDef, opts: { token?: string; params?: Record<string, string> } = {}): Promise<Answer> {
  const sampled = def.params ? asStrings(sampleOf(def.params)) : {};
  const params: Record<string, string> = {};
  for (const name of pathParams(def)) params[name] = opts.params?.[name] ?? (name === 'id' ? RANDOM_ID : sampled[name] ?? RANDOM_ID);
  const path = def.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
  const query = def.query ? new URLSearchParams(asStrings(sampleOf(def.query))).toString() : '';
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (def.body) {
    body = JSON.stringify(sampleOf(def.body) ?? {});
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${srv.url}${path}${query ? `?${query}` : ''}`, { method: def.method, headers, body });
  const text = await res.text();
  let json: Answer['body'] = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: json };
}

function expectProblem(a: Answer, status: number, code: string, what: string) {
  assert.equal(a.status, status, `${what}: expected ${status} ${code}, got ${a.status} ${JSON.stringify(a.body)}`);
  assert.match(a.type, /^application\/problem\+json/, `${what}: problem+json`);
  assert.equal(a.body?.code, code, `${what}: code`);
  assert.ok(a.body?.code && a.body.code in errorCodes);
}

for (const dialect of TEST_DIALECTS) {
  describe(`authorization matrix on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let tenantA: string;
    let adminA: QuickUser;
    let adminB: QuickUser;
    const lacking = new Map<Permission, QuickUser>();
    const covered = new Set<string>();
    const uncovered: string[] = [];

    before(async () => {
      srv = await startTestServer({ dialect });
      admin = await srv.admin();
      tenantA = (await admin.client.call('tenants.create', { body: { name: 'matrix-a' } })).id;
      const tenantB = (await admin.client.call('tenants.create', { body: { name: 'matrix-b' } })).id;
      const adminRole = (await srv.services.identity.accounts.roleByNameOrId('admin'))!.id;
      adminA = await quickUser(srv, tenantA, [{ roleId: adminRole, tenantId: tenantA }]);
      adminB = await quickUser(srv, tenantB, [{ roleId: adminRole, tenantId: tenantB }]);
      // For each permission a route asks for: a user holding every other permission, globally.
      const asked = new Set(all.map(([, d]) => d.access).filter((a): a is Permission => a !== 'public' && a !== 'authenticated'));
      for (const perm of asked) {
        const roleId = await quickRole(srv, `all-but-${perm.replace(':', '-')}`, permissions.filter((p) => p !== perm));
        lacking.set(perm, await quickUser(srv, tenantA, [{ roleId, tenantId: null }]));
      }
    });
    after(() => srv.close());

    for (const [id, def] of all) {
      it(`${id}: ${def.method} ${def.path} (${def.access})`, async () => {
        const served = srv.app.hasRoute({ method: def.method, url: def.path.replace(/\{(\w+)\}/g, ':$1') });
        if (!served) {
          uncovered.push(`${id}: not served by the server (no registerRoutes for it in app.ts)`);
          assert.fail(`${id} is in the contract but the server does not serve it`);
        }
        if (def.access === 'public') {
          covered.add(id);
          return;
        }
        expectProblem(await send(srv, def), 401, 'UNAUTHENTICATED', `${id} without credentials`);
        const garbage = await send(srv, def, { token: 'not-a-token' });
        assert.equal(garbage.status, 401, `${id} with a garbage bearer token`);

        if (def.access !== 'authenticated') {
          const perm = def.access;
          const user = lacking.get(perm);
          assert.ok(user);
          expectProblem(await send(srv, def, { token: user.token }), 403, 'FORBIDDEN', `${id} without ${perm}`);
        }

        if (needsIsolation(def)) {
          const fixture = tenantFixtures[familyOf(def)];
          if (!fixture) {
            uncovered.push(`${id}: no fixture for family "${familyOf(def)}" in http/authz-fixtures.ts`);
            assert.fail(`${id}: add a fixture for "${familyOf(def)}" to http/authz-fixtures.ts`);
          }
          const params = await fixture({ srv, admin, tenantId: tenantA, tenantAdminToken: adminA.token });
          const perm = def.access === 'authenticated' ? null : def.access;
          if (perm && globalOnly.has(perm)) {
            // Nobody holds a global-only permission on one tenant: the other tenant's admin is stopped at the route check.
            expectProblem(await send(srv, def, { token: adminB.token, params }), 403, 'FORBIDDEN', `${id} by another tenant's admin`);
          } else {
            expectProblem(await send(srv, def, { token: adminB.token, params }), 404, 'NOT_FOUND', `${id} by another tenant's admin`);
            if (def.method === 'GET') {
              const own = await send(srv, def, { token: adminA.token, params });
              assert.ok(own.status >= 200 && own.status < 300, `${id}: the owning tenant's admin reads it (got ${own.status} ${JSON.stringify(own.body)})`);
            }
          }
        }
        covered.add(id);
      });
    }

    it('covers every route of the contract', () => {
      const missing = all.map(([id]) => id).filter((id) => !covered.has(id));
      assert.deepEqual(missing, [], `uncovered routes:\n  ${uncovered.join('\n  ')}`);
    });
  });
}
