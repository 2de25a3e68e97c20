// Storage pools, volumes and networks through real HTTP with a FAKE agent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestVm, ensureFakeAgent, settle } from '../testing/compute-fixtures';
import { expectProblem } from '../testing/expect-problem';
import type { FakeAgent } from '../testing/fake-agent';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';

describe('storage and networks', () => {
  let srv: TestServer;
  let admin: TestUser;
  let agent: FakeAgent;

  before(async () => {
    srv = await startTestServer();
    admin = await srv.admin();
    agent = await ensureFakeAgent(srv);
  });
  after(() => srv.close());

  it('seeds the pool and the network named default', async () => {
    const pool = await admin.client.call('storagePools.get', { params: { id: 'default' } });
    assert.equal(pool.path, `${srv.dataDir}/pools/default`);
    assert.equal(pool.driver, 'dir');
    const net = await admin.client.call('networks.get', { params: { id: 'default' } });
    assert.deepEqual([net.driver, net.cidr, net.tenantId], ['user', '10.0.2.0/24', null]);
    // capacity and allocation come from the agents' heartbeats
    const t0 = Date.now();
    while ((await admin.client.call('storagePools.get', { params: { id: 'default' } })).capacityBytes === null) {
      assert.ok(Date.now() - t0 < 3000, 'pool figures reported');
      await new Promise((r) => setTimeout(r, 50));
    }
    const reported = await admin.client.call('storagePools.get', { params: { id: 'default' } });
    assert.deepEqual([reported.capacityBytes, reported.availableBytes, reported.allocationBytes], [100 * 1024 ** 3, 60 * 1024 ** 3, 1024 ** 3]);
  });

  it('creates, grows and deletes volumes; attached volumes are IN_USE', async () => {
    const op = await admin.client.call('volumes.create', { body: { name: 'data', sizeGiB: 2, format: 'raw' } });
    assert.equal(op.kind, 'volume.create');
    const { volumeId } = (await settle(admin.client, op.id)) as { volumeId: string };
    const cmd = agent.received('volume.create').at(-1)!.args as { pool: { path: string }; volumeId: string; format: string; sizeBytes: number };
    assert.deepEqual([cmd.volumeId, cmd.format, cmd.sizeBytes, cmd.pool.path], [volumeId, 'raw', 2 * 1024 ** 3, `${srv.dataDir}/pools/default`]);
    let vol = await admin.client.call('volumes.get', { params: { id: volumeId } });
    assert.deepEqual([vol.state, vol.sizeGiB, vol.allocationBytes, vol.attachedTo], ['available', 2, 196_608, null]);
    await expectProblem(admin.client.call('volumes.create', { body: { name: 'data', sizeGiB: 1 } }), 'ALREADY_EXISTS', 409);
    await expectProblem(admin.client.call('volumes.create', { body: { name: 'nowhere', sizeGiB: 1, pool: 'missing' } }), 'NOT_FOUND', 404);

    await settle(admin.client, (await admin.client.call('volumes.resize', { params: { id: volumeId }, body: { sizeGiB: 5 } })).id);
    assert.equal((await admin.client.call('volumes.get', { params: { id: volumeId } })).sizeGiB, 5);
    await expectProblem(admin.client.call('volumes.resize', { params: { id: volumeId }, body: { sizeGiB: 3 } }), 'BAD_REQUEST', 400);

    const vm = await createTestVm(srv, admin.client, admin.tenantId);
    await settle(admin.client, (await admin.client.call('vms.disks.attach', { params: { id: vm.id }, body: { volume: volumeId } })).id);
    vol = await admin.client.call('volumes.get', { params: { id: volumeId } });
    assert.equal(vol.state, 'in-use');
    assert.equal(vol.attachedTo!.vmId, vm.id);
    assert.equal(agent.received('vm.disk.attach').length, 0, 'a stopped VM gets the disk in its spec, no hotplug');
    await expectProblem(admin.client.call('volumes.delete', { params: { id: volumeId } }), 'IN_USE', 409);
    await expectProblem(admin.client.call('vms.disks.attach', { params: { id: vm.id }, body: { volume: volumeId } }), 'IN_USE', 409);
    // the VM goes, an attached (not owned) volume stays
    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id: vm.id } })).id);
    assert.equal((await admin.client.call('volumes.get', { params: { id: volumeId } })).state, 'available');
    await settle(admin.client, (await admin.client.call('volumes.delete', { params: { id: volumeId } })).id);
    await expectProblem(admin.client.call('volumes.get', { params: { id: volumeId } }), 'NOT_FOUND', 404);
  });

  it('pools are shared: creating or deleting one needs storage:write on every tenant', async () => {
    const tenantOp = await createUser(srv, { tenant: 'pool-t', role: 'operator' });
    await expectProblem(tenantOp.client.call('storagePools.create', { body: { name: 'mine', path: '/srv/mine' } }), 'FORBIDDEN', 403);
    const pool = await admin.client.call('storagePools.create', { body: { name: 'fast', path: '/srv/fast/' } });
    assert.equal(pool.path, '/srv/fast');
    await expectProblem(admin.client.call('storagePools.create', { body: { name: 'fast', path: '/srv/x' } }), 'ALREADY_EXISTS', 409);
    await expectProblem(admin.client.call('storagePools.create', { body: { name: 'rel', path: 'relative/dir' } }), 'VALIDATION_FAILED', 400);
    await admin.client.call('storagePools.delete', { params: { id: 'fast' } });
    // tenant operators see the pools and can make volumes in them
    assert.ok((await tenantOp.client.call('storagePools.list')).items.some((p) => p.name === 'default'));
    const op = await tenantOp.client.call('volumes.create', { body: { name: 'theirs', sizeGiB: 1 } });
    const { volumeId } = (await settle(tenantOp.client, op.id)) as { volumeId: string };
    await expectProblem(admin.client.call('storagePools.delete', { params: { id: 'default' } }), 'IN_USE', 409);
    const other = await createUser(srv, { tenant: 'pool-u', role: 'operator' });
    await expectProblem(other.client.call('volumes.get', { params: { id: volumeId } }), 'NOT_FOUND', 404);
    await expectProblem(other.client.call('volumes.delete', { params: { id: volumeId } }), 'NOT_FOUND', 404);
    assert.ok(!(await other.client.call('volumes.list')).items.some((v) => v.id === volumeId));
  });

  it('networks: tenant networks are private, shared ones visible to all; IN_USE while NICs use them', async () => {
    const a = await createUser(srv, { tenant: 'net-a', role: 'operator' });
    const b = await createUser(srv, { tenant: 'net-b', role: 'operator' });
    const net = await a.client.call('networks.create', { body: { name: 'a-net', cidr: '10.9.0.0/24' } });
    assert.equal(net.tenantId, a.tenantId);
    assert.ok(!(await b.client.call('networks.list')).items.some((n) => n.id === net.id));
    assert.ok((await b.client.call('networks.list')).items.some((n) => n.name === 'default'));
    await expectProblem(b.client.call('networks.get', { params: { id: net.id } }), 'NOT_FOUND', 404);
    await expectProblem(b.client.call('networks.delete', { params: { id: 'default' } }), 'FORBIDDEN', 403);
    await expectProblem(a.client.call('networks.create', { body: { name: 'bad', cidr: '10.9.0.0/33' } }), 'VALIDATION_FAILED', 400);
    // The guest gets .15 of a user-mode subnet: too small, host bits set or octets out of range are refused.
    for (const cidr of ['10.9.0.0/28', '10.9.0.7/24', '300.1.1.0/24', '10.0.0.0/7']) {
      await expectProblem(a.client.call('networks.create', { body: { name: 'bad', cidr } }), 'VALIDATION_FAILED', 400);
    }
    const vmOp = await a.client.call('vms.create', { body: { name: 'netvm', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }], networks: [{ network: 'a-net' }] } });
    const { vmId } = (await settle(a.client, vmOp.id)) as { vmId: string };
    assert.equal((await a.client.call('networks.get', { params: { id: net.id } })).nics, 1);
    await expectProblem(a.client.call('networks.delete', { params: { id: net.id } }), 'IN_USE', 409);
    // B cannot attach A's network
    await expectProblem(b.client.call('vms.create', { body: { name: 'x', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }], networks: [{ network: net.id }] } }), 'NOT_FOUND', 404);
    await settle(a.client, (await a.client.call('vms.delete', { params: { id: vmId } })).id);
    await a.client.call('networks.delete', { params: { id: net.id } });
  });
});
