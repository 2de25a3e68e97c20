import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';

/** Opens the events socket, authenticates with a first message and collects what arrives. */
async function subscribe(srv: TestServer, token: string) {
  const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/api/v1/events`);
  const received: Array<Record<string, unknown>> = [];
  ws.on('message', (raw) => received.push(JSON.parse(String(raw))));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'auth', token }));
  await waitFor(() => received.some((m) => m.type === 'ready' || m.type === 'error'));
  return { ws, received };
}

async function waitFor(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('events WebSocket', { timeout: 60_000 }, () => {
  let srv: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    srv = await startTestServer();
    alice = await createUser(srv, { tenant: 'alpha', role: 'operator' });
    bob = await createUser(srv, { tenant: 'beta', role: 'operator' });
  });
  after(() => srv.close());

  it('refuses a bad token and closes', async () => {
    const { ws, received } = await subscribe(srv, 'not-a-token');
    assert.equal(received[0].type, 'error');
    await waitFor(() => ws.readyState === WebSocket.CLOSED);
  });

  it('delivers a tenant event only to subscribers who may see that tenant', async () => {
    const a = await subscribe(srv, alice.token);
    const b = await subscribe(srv, bob.token);
    assert.equal(a.received[0].type, 'ready');
    const op = await srv.services.operations.start(
      { kind: 'test', tenantId: alice.tenantId, resources: [], createdBy: alice.user.id },
      async () => ({ done: true }),
    );
    await waitFor(() => a.received.some((m) => m.type === 'operation.updated' && (m.data as { status: string }).status === 'succeeded'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(b.received.filter((m) => m.type === 'operation.updated').length, 0, 'another tenant sees nothing');
    assert.equal((a.received.find((m) => m.type === 'operation.updated')!.data as { id: string }).id, op.id);
    a.ws.close();
    b.ws.close();
  });

  it('filters by subscribed types', async () => {
    const a = await subscribe(srv, alice.token);
    a.ws.send(JSON.stringify({ type: 'subscribe', types: ['vm'] }));
    await new Promise((r) => setTimeout(r, 50));
    srv.services.events.publish({ type: 'operation.updated', tenantId: alice.tenantId, permission: 'operation:read', resource: null, data: {} });
    srv.services.events.publish({ type: 'vm.started', tenantId: alice.tenantId, permission: 'vm:read', resource: '/api/v1/vms/x', data: {} });
    await waitFor(() => a.received.some((m) => m.type === 'vm.started'));
    assert.equal(a.received.filter((m) => m.type === 'operation.updated').length, 0);
    a.ws.close();
  });

  it('announces administration changes to those who may list them, on the changed tenant only', async () => {
    const admin = await createUser(srv, { role: 'admin', global: true });
    const alphaAdmin = await createUser(srv, { tenant: 'alpha', role: 'admin' });
    const g = await subscribe(srv, admin.token);
    const a = await subscribe(srv, alphaAdmin.token);
    const b = await subscribe(srv, bob.token); // an operator of beta (user:read there)
    const created = await admin.client.call('users.create', { body: { email: `ev-${Date.now()}@test.novacron.local`, name: 'ev', tenantId: bob.tenantId, roles: [] } });
    await waitFor(() => g.received.some((m) => m.type === 'user.changed'));
    const event = g.received.find((m) => m.type === 'user.changed')!;
    assert.equal(event.resource, '/api/v1/users');
    assert.equal((event.data as { route: string }).route, 'users.create');
    await admin.client.call('users.update', { params: { id: created.id }, body: { name: 'renamed' } });
    await waitFor(() => g.received.some((m) => m.type === 'user.changed' && m.resource === `/api/v1/users/${created.id}`));
    await admin.client.call('tenants.update', { params: { id: alice.tenantId }, body: { description: 'changed' } });
    await waitFor(() => a.received.some((m) => m.type === 'tenant.changed'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(a.received.filter((m) => m.type === 'user.changed').length, 0, 'alpha\'s admin does not hear of a user of beta');
    assert.equal(b.received.filter((m) => m.type === 'user.changed').length, 2, 'beta\'s operator may list beta\'s users: told of both changes');
    assert.equal(b.received.filter((m) => m.type === 'tenant.changed').length, 0, 'but not of another tenant');
    for (const s of [g, a, b]) s.ws.close();
  });
});

describe('GET /metrics', { timeout: 60_000 }, () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  it('needs metrics:read, then serves request counters and latency histograms', async () => {
    assert.equal((await fetch(`${srv.url}/metrics`)).status, 401);
    const viewer = await createUser(srv, { role: 'viewer' });
    assert.equal((await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${viewer.token}` } })).status, 403);
    const admin = await createUser(srv, { role: 'admin', global: true });
    await fetch(`${srv.url}/api/v1/health`);
    const res = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /novacron_http_requests_total\{method="GET",route="\/api\/v1\/health",status="200"\} \d+/);
    assert.match(text, /novacron_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v1\/health",status="200"\}/);
    assert.match(text, /novacron_process_cpu_seconds_total/);
  });

  it('is open to scrapers when the metricsPublic setting says so', async () => {
    await srv.services.settings.update({ metricsPublic: true });
    assert.equal((await fetch(`${srv.url}/metrics`)).status, 200);
  });
});
