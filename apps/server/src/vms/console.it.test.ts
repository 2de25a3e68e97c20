// Console tickets and the console WebSocket relay, against a FAKE agent that echoes console bytes back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { createTestVm, ensureFakeAgent } from '../testing/compute-fixtures';
import { expectProblem } from '../testing/expect-problem';
import type { FakeAgent } from '../testing/fake-agent';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';

/** Opens the console socket; resolves with a handle once open, or with the close code if the server refuses it. */
function openConsole(srv: TestServer, vmId: string, query: string) {
  const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/api/v1/vms/${vmId}/console?${query}`);
  const received: Buffer[] = [];
  ws.on('message', (d: Buffer) => received.push(Buffer.from(d)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, received, closed, opened, text: () => Buffer.concat(received).toString() };
}

describe('VM consoles', () => {
  let srv: TestServer;
  let admin: TestUser;
  let agent: FakeAgent;
  let vmId: string;

  before(async () => {
    srv = await startTestServer();
    admin = await srv.admin();
    agent = await ensureFakeAgent(srv);
    vmId = (await createTestVm(srv, admin.client, admin.tenantId, { start: true })).id;
  });
  after(() => srv.close());

  const ticket = async () => admin.client.call('vms.consoleTickets.create', { params: { id: vmId } });

  it('a ticket opens one serial stream that relays bytes both ways through the agent', async () => {
    const t = await ticket();
    assert.match(t.ticket, /^ncc_/);
    assert.ok(Date.parse(t.expiresAt) - Date.now() <= 61_000);
    const c = openConsole(srv, vmId, `type=serial&ticket=${encodeURIComponent(t.ticket)}`);
    await c.opened;
    await agent.until(() => agent.streams.size === 1);
    const open = agent.received('console.open').at(-1)!.args as { vmId: string; type: string };
    assert.deepEqual([open.vmId, open.type], [vmId, 'serial']);
    c.ws.send(Buffer.from('ls /\n'));
    const t0 = Date.now();
    while (!c.text().includes('echo:ls /')) {
      assert.ok(Date.now() - t0 < 3000, `echo not received: ${c.text()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    c.ws.close();
    await c.closed;
    await agent.until(() => agent.streams.size === 0);

    // single use: the same ticket is refused
    const again = openConsole(srv, vmId, `type=serial&ticket=${encodeURIComponent(t.ticket)}`);
    assert.equal((await again.closed).code, 4401);
  });

  it('refuses missing, expired, foreign-VM tickets and bad types', async () => {
    assert.equal((await openConsole(srv, vmId, 'type=serial').closed).code, 4401);
    const t = await ticket();
    assert.equal((await openConsole(srv, vmId, `type=telnet&ticket=${t.ticket}`).closed).code, 4400);
    const other = await createTestVm(srv, admin.client, admin.tenantId, { start: true });
    assert.equal((await openConsole(srv, other.id, `type=vnc&ticket=${t.ticket}`).closed).code, 4401, 'a ticket is for one VM');
    const old = await ticket();
    await srv.services.store.db.updateTable('console_tickets').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('vm_id', '=', vmId).where('used_at', 'is', null).execute();
    assert.equal((await openConsole(srv, vmId, `type=vnc&ticket=${old.ticket}`).closed).code, 4401);
    // tickets are stored hashed
    const rows = await srv.services.store.db.selectFrom('console_tickets').select('token_hash').execute();
    assert.ok(rows.every((r) => r.token_hash.length === 64 && !r.token_hash.startsWith('ncc_')));
  });

  it('a stopped VM has no console; tickets need vm:console', async () => {
    const stopped = await createTestVm(srv, admin.client, admin.tenantId);
    const t = await admin.client.call('vms.consoleTickets.create', { params: { id: stopped.id } });
    assert.equal((await openConsole(srv, stopped.id, `type=serial&ticket=${t.ticket}`).closed).code, 4409);
    const viewer = await createUser(srv, { role: 'viewer', global: true });
    await expectProblem(viewer.client.call('vms.consoleTickets.create', { params: { id: vmId } }), 'FORBIDDEN', 403);
  });

  it('serves the serial log kept by the node', async () => {
    const log = await admin.client.call('vms.serialLog', { params: { id: vmId }, query: { maxBytes: 4096 } });
    assert.match(log.text, /NOVACRON-READY/);
    assert.equal(log.truncated, false);
    assert.equal((agent.received('vm.serial.read').at(-1)!.args as { maxBytes: number }).maxBytes, 4096);
  });
});
