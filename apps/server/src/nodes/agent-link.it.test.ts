// The agent link through a real WebSocket with a FAKE agent: joining, credentials, protocol errors, liveness.
import { AGENT_CONNECT_PATH, AgentCloseCodes, type Event } from '@novacron/api';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { expectProblem } from '../testing/expect-problem';
import { FakeAgent } from '../testing/fake-agent';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';

describe('agent link', () => {
  let srv: TestServer;
  let admin: TestUser;
  const events: Event[] = [];

  before(async () => {
    srv = await startTestServer();
    admin = await srv.admin();
    srv.services.events.subscribe((e) => events.push(e));
  });
  after(() => srv.close());

  const token = async () => (await admin.client.call('nodes.createJoinToken', { body: { description: 'test' } })).token;

  it('joins with a single-use token, gets a credential, and reconnects with the credential', async () => {
    const jt = await token();
    const agent = await new FakeAgent({ serverUrl: srv.url, joinToken: jt, hostname: 'host-a', cpus: 8, memoryMiB: 16384 }).connect();
    assert.ok(agent.nodeId);
    assert.match(agent.nodeCredential ?? '', /^ncn_/);
    const node = await admin.client.call('nodes.get', { params: { id: agent.nodeId } });
    assert.deepEqual([node.name, node.state, node.cpus, node.memoryMiB, node.accel, node.kvm], ['host-a', 'online', 8, 16384, 'tcg', false]);
    assert.ok(events.some((e) => e.type === 'node.online' && e.resource === `/api/v1/nodes/${agent.nodeId}`));
    await agent.close();

    // the token is spent
    const again = new FakeAgent({ serverUrl: srv.url, joinToken: jt });
    await assert.rejects(again.connect());
    assert.equal(again.closeCode, AgentCloseCodes.unauthorized);

    // the credential keeps working, for the same node; only its hash is stored
    const back = await new FakeAgent({ serverUrl: srv.url, nodeCredential: agent.nodeCredential }).connect();
    assert.equal(back.nodeId, agent.nodeId);
    assert.equal(back.nodeCredential, undefined, 'no new credential is issued on reconnect');
    const row = await srv.services.compute.nodeRepo.get(agent.nodeId);
    assert.notEqual(row!.credential_hash, agent.nodeCredential);
    assert.equal(row!.credential_hash!.length, 64);
    await back.close();
  });

  it('refuses unknown credentials, other protocol versions and malformed messages with close codes', async () => {
    const bad = new FakeAgent({ serverUrl: srv.url, nodeCredential: 'ncn_forged' });
    await assert.rejects(bad.connect());
    assert.equal(bad.closeCode, AgentCloseCodes.unauthorized);

    const closeOf = (first: object | string) => new Promise<number>((resolve) => {
      const ws = new WebSocket(`${srv.url.replace('http', 'ws')}${AGENT_CONNECT_PATH}`);
      ws.on('open', () => ws.send(typeof first === 'string' ? first : JSON.stringify(first)));
      ws.on('close', (code) => resolve(code));
    });
    const inventory = { cpuModel: 'x', cpus: 1, memoryMiB: 1, disks: [], kvm: false, accel: 'tcg', qemuVersion: '7', agentVersion: 'x' };
    assert.equal(await closeOf({ type: 'hello', protocolVersion: 99, joinToken: await token(), hostname: 'h', inventory }), AgentCloseCodes.unsupportedVersion);
    assert.equal(await closeOf('not json'), AgentCloseCodes.badMessage);
    assert.equal(await closeOf({ type: 'heartbeat', time: 'now', vms: [] }), AgentCloseCodes.unauthorized, 'nothing before hello');
  });

  it('a second connection of the same node replaces the first', async () => {
    const a = await new FakeAgent({ serverUrl: srv.url, joinToken: await token() }).connect();
    const b = await new FakeAgent({ serverUrl: srv.url, nodeCredential: a.nodeCredential }).connect();
    await a.until(() => a.closeCode !== null);
    assert.equal(a.closeCode, AgentCloseCodes.replaced);
    assert.equal((await admin.client.call('nodes.get', { params: { id: b.nodeId } })).state, 'online', 'still online through the new connection');
    await b.close();
  });

  it('marks a node offline within three missed heartbeats, and online again when it reports', async () => {
    // Short heartbeats so offline detection is observable in a test (production: 2 s, offline after 6 s).
    const hub = srv.services.compute.hub;
    hub.heartbeatIntervalMs = 300;
    const agent = await new FakeAgent({ serverUrl: srv.url, joinToken: await token() }).connect().finally(() => (hub.heartbeatIntervalMs = 2000));
    assert.equal(agent.heartbeatIntervalMs, 300);
    agent.heartbeating = false; // alive socket, silent agent
    const t0 = Date.now();
    while ((await admin.client.call('nodes.get', { params: { id: agent.nodeId } })).state !== 'offline') {
      assert.ok(Date.now() - t0 < 4000, 'offline within seconds');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(events.some((e) => e.type === 'node.offline' && e.resource === `/api/v1/nodes/${agent.nodeId}` && e.permission === 'node:read' && e.tenantId === null));
    assert.deepEqual((await admin.client.call('nodes.list', { query: { state: 'offline' } })).items.map((n) => n.id).includes(agent.nodeId), true);
    const back = await new FakeAgent({ serverUrl: srv.url, nodeCredential: agent.nodeCredential }).connect();
    assert.equal((await admin.client.call('nodes.get', { params: { id: back.nodeId } })).state, 'online');
    await back.close();
    // a closed socket is offline at once
    const t1 = Date.now();
    while ((await admin.client.call('nodes.get', { params: { id: back.nodeId } })).state !== 'offline') {
      assert.ok(Date.now() - t1 < 1000);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('operations on VMs of an offline node fail fast with NODE_UNREACHABLE', async () => {
    const agent = await new FakeAgent({ serverUrl: srv.url, joinToken: await token() }).connect();
    const op = await admin.client.call('vms.create', { body: { name: 'on-a-node', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }] } });
    const done = await admin.client.call('operations.wait', { params: { id: op.id }, query: { timeout: 10 } });
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const vmId = done.result!.vmId as string;
    await agent.close();
    await expectProblem(admin.client.call('vms.start', { params: { id: vmId } }), 'NODE_UNREACHABLE', 502);
    await expectProblem(admin.client.call('vms.delete', { params: { id: vmId } }), 'NODE_UNREACHABLE', 502);
    // force forgets it
    const forced = await admin.client.call('vms.delete', { params: { id: vmId }, query: { force: 'true' } });
    assert.equal((await admin.client.call('operations.wait', { params: { id: forced.id }, query: { timeout: 10 } })).status, 'succeeded');
    await expectProblem(admin.client.call('vms.get', { params: { id: vmId } }), 'NOT_FOUND', 404);
    // an offline node without VMs can be forgotten; its credential then stops working
    await admin.client.call('nodes.delete', { params: { id: agent.nodeId } });
    const ghost = new FakeAgent({ serverUrl: srv.url, nodeCredential: agent.nodeCredential });
    await assert.rejects(ghost.connect());
    assert.equal(ghost.closeCode, AgentCloseCodes.unauthorized);
  });

  it('reports from a node about VMs it does not hold are ignored', async () => {
    const owner = await new FakeAgent({ serverUrl: srv.url, joinToken: await token(), hostname: 'owner' }).connect();
    const op = await admin.client.call('vms.create', { body: { name: 'owned', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }] } });
    const done = await admin.client.call('operations.wait', { params: { id: op.id }, query: { timeout: 10 } });
    const vmId = done.result!.vmId as string;
    const vm = await admin.client.call('vms.get', { params: { id: vmId } });
    const other = await new FakeAgent({ serverUrl: srv.url, joinToken: await token(), hostname: 'intruder' }).connect();
    const intruderNode = other.nodeId;
    assert.notEqual(intruderNode, vm.nodeId);
    other.setStatus({ vmId, state: 'running', observedRevision: 999, pid: 1, accel: 'kvm', since: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await admin.client.call('vms.get', { params: { id: vmId } })).state, 'stopped');
    await other.close();
    await owner.close();
  });

  it('join tokens need node:admin; nodes are readable with node:read', async () => {
    const viewer = await createUser(srv, { role: 'viewer' });
    await expectProblem(viewer.client.call('nodes.createJoinToken', { body: {} }), 'FORBIDDEN', 403);
    assert.ok((await viewer.client.call('nodes.list')).items.length > 0);
  });
});
