// VMs through real HTTP against a FAKE node agent (apps/server/src/testing/fake-agent.ts) speaking the agent protocol
// over a real WebSocket. Real QEMU is exercised by the system tests in tests/system.
import type { Event, VmSpec } from '@novacron/api';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestImage, ensureFakeAgent, settle } from '../testing/compute-fixtures';
import { expectProblem } from '../testing/expect-problem';
import type { FakeAgent } from '../testing/fake-agent';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';

describe('VMs through the API with a fake agent', () => {
  let srv: TestServer;
  let admin: TestUser;
  let agent: FakeAgent;
  let kernel: string;
  let initrd: string;
  const events: Event[] = [];

  before(async () => {
    srv = await startTestServer();
    admin = await srv.admin();
    agent = await ensureFakeAgent(srv);
    srv.services.events.subscribe((e) => events.push(e));
    kernel = await createTestImage(srv, admin.client, admin.tenantId, 'kernel');
    initrd = await createTestImage(srv, admin.client, admin.tenantId, 'initrd');
  });
  after(() => srv.close());

  const specOf = (vmId: string): VmSpec | undefined => agent.desired.at(-1)?.vms.find((v) => v.id === vmId);
  const create = async (client = admin.client, body: Record<string, unknown> = {}) => {
    const op = await client.call('vms.create', {
      body: {
        name: `t-${Math.random().toString(36).slice(2, 8)}`, vcpus: 1, memoryMiB: 128,
        boot: { kernelImage: kernel, initrdImage: initrd, cmdline: 'console=ttyS0' }, disks: [], networks: [{ network: 'default' }], start: true, ...body,
      } as never,
    });
    return { op, result: (await settle(client, op.id)) as { vmId: string } };
  };

  it('creates a VM: 202 operation, desired state pushed, status reported, state running', async () => {
    const op = await admin.client.call('vms.create', {
      body: {
        name: 't1', vcpus: 1, memoryMiB: 128, boot: { kernelImage: kernel, initrdImage: initrd, cmdline: 'console=ttyS0' },
        disks: [{ sizeGiB: 2 }], networks: [{ network: 'default' }], start: true,
      },
    });
    assert.equal(op.kind, 'vm.create');
    assert.equal(op.status, 'running');
    const done = await admin.client.call('operations.wait', { params: { id: op.id }, query: { timeout: 10 } });
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const vmId = done.result!.vmId as string;

    const spec = specOf(vmId);
    assert.ok(spec, 'the node received the VM in its desired state');
    assert.equal(spec.powerState, 'running');
    assert.deepEqual(spec.boot, { kernel, initrd, cmdline: 'console=ttyS0', order: ['disk', 'cdrom'] });
    assert.equal(spec.disks.length, 1);
    assert.equal(spec.disks[0].source.type, 'volume', 'disks travel as pool/volume ids, never host paths');
    assert.equal(spec.networks[0].driver, 'user');
    assert.match(spec.networks[0].mac, /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.ok(agent.desired.at(-1)!.pools.some((p) => p.name === 'default'));
    assert.equal(agent.received('volume.create').length >= 1, true);

    const vm = await admin.client.call('vms.get', { params: { id: vmId } });
    assert.equal(vm.state, 'running');
    assert.equal(vm.accel, 'tcg');
    assert.equal(vm.pid, 4242);
    assert.equal(vm.disks[0].sizeGiB, 2);
    const vol = await admin.client.call('volumes.get', { params: { id: vm.disks[0].volumeId! } });
    assert.equal(vol.state, 'in-use');
    assert.deepEqual(vol.attachedTo, { vmId, diskId: vm.disks[0].id });
    const types = events.filter((e) => e.resource === `/api/v1/vms/${vmId}`).map((e) => e.type);
    assert.ok(types.includes('vm.created') && types.includes('vm.started'), types.join(','));
    const started = events.find((e) => e.type === 'vm.started' && e.resource === `/api/v1/vms/${vmId}`)!;
    assert.equal(started.permission, 'vm:read');
    assert.equal(started.tenantId, admin.tenantId);
  });

  it('power actions converge through desired state; reboot and reset are commands', async () => {
    const { result } = await create();
    const id = result.vmId;
    const act = async (route: 'vms.stop' | 'vms.start' | 'vms.pause' | 'vms.resume' | 'vms.reboot' | 'vms.reset') =>
      settle(admin.client, (await admin.client.call(route, { params: { id } })).id);
    await act('vms.pause');
    assert.equal((await admin.client.call('vms.get', { params: { id } })).state, 'paused');
    assert.equal(specOf(id)!.powerState, 'paused');
    await act('vms.resume');
    assert.equal((await admin.client.call('vms.get', { params: { id } })).state, 'running');
    await act('vms.reboot');
    await act('vms.reset');
    // one long action per VM at a time: a second one is refused while the first runs
    const slow = agent.handlers['vm.reboot']!;
    agent.handlers['vm.reboot'] = async (a, c, ag) => (await new Promise((r) => setTimeout(r, 400)), slow(a, c, ag));
    try {
      const first = await admin.client.call('vms.reboot', { params: { id } });
      await expectProblem(admin.client.call('vms.stop', { params: { id } }), 'INVALID_STATE', 409);
      await settle(admin.client, first.id);
    } finally {
      agent.handlers['vm.reboot'] = slow;
    }
    assert.equal((agent.received('vm.reboot').at(-1)!.args as { vmId: string }).vmId, id);
    const shutdown = await admin.client.call('vms.shutdown', { params: { id }, query: { timeout: 30 } });
    await settle(admin.client, shutdown.id);
    assert.equal(specOf(id)!.shutdownTimeoutSeconds, 30, 'ACPI shutdown: the node gets the grace period');
    assert.equal((await admin.client.call('vms.get', { params: { id } })).state, 'stopped');
    await expectProblem(admin.client.call('vms.pause', { params: { id } }), 'INVALID_STATE', 409);
    await act('vms.start');
    await act('vms.stop');
    assert.equal(specOf(id)!.shutdownTimeoutSeconds, 0, 'stop is a hard stop');
    const types = events.filter((e) => e.resource === `/api/v1/vms/${id}`).map((e) => e.type);
    for (const t of ['vm.paused', 'vm.resumed', 'vm.stopped', 'vm.started']) assert.ok(types.includes(t), `${t} in ${types}`);
  });

  it('a crash is reported as crashed and, with restart policy "no", the VM is then meant to be stopped', async () => {
    const { result } = await create();
    const id = result.vmId;
    const before = specOf(id)!.revision;
    agent.crash(id);
    await agent.until(() => (specOf(id)?.revision ?? 0) > before);
    const vm = await admin.client.call('vms.get', { params: { id } });
    assert.equal(vm.state, 'crashed');
    assert.equal(vm.powerState, 'stopped');
    assert.match(vm.error!.message, /SIGKILL/);
    assert.ok(events.some((e) => e.type === 'vm.crashed' && e.resource === `/api/v1/vms/${id}`));
    // start again: a new revision, so the node starts it
    await settle(admin.client, (await admin.client.call('vms.start', { params: { id } })).id);
    assert.equal((await admin.client.call('vms.get', { params: { id } })).state, 'running');
  });

  it('a failed create leaves nothing behind: volumes made so far are deleted, the VM is gone', async () => {
    let creates = 0;
    const original = agent.handlers['volume.create']!;
    agent.handlers['volume.create'] = (a, c, ag) => (++creates === 2 ? { error: { code: 'IO_ERROR', message: 'disk full' } } : original(a, c, ag));
    const deletesBefore = agent.received('volume.delete').length;
    const volumesBefore = (await admin.client.call('volumes.list')).items.length;
    try {
      const op = await admin.client.call('vms.create', { body: { name: 'doomed', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }, { sizeGiB: 1 }], networks: [{ network: 'default' }] } });
      const done = await admin.client.call('operations.wait', { params: { id: op.id }, query: { timeout: 10 } });
      assert.equal(done.status, 'failed');
      assert.equal(done.error!.code, 'HYPERVISOR_ERROR');
      assert.match(done.error!.message, /disk full/);
      const vmId = done.resources[0].split('/').pop()!;
      await expectProblem(admin.client.call('vms.get', { params: { id: vmId } }), 'NOT_FOUND', 404);
      assert.equal((await admin.client.call('vms.list', { query: { text: 'doomed' } })).items.length, 0);
      assert.equal((await admin.client.call('volumes.list')).items.length, volumesBefore, 'no volume row left');
      assert.equal(agent.received('volume.delete').length, deletesBefore + 1, 'the first volume was deleted on the node');
      assert.ok(events.some((e) => e.type === 'vm.deleted' && e.resource === `/api/v1/vms/${vmId}`));
    } finally {
      agent.handlers['volume.create'] = original;
    }
  });

  it('a create whose start fails is undone on the node too', async () => {
    agent.startFailure = (spec) => (spec.name === 'boot-fails' ? { code: 'QEMU_FAILED', message: 'could not open kernel' } : undefined);
    try {
      const op = await admin.client.call('vms.create', { body: { name: 'boot-fails', vcpus: 1, memoryMiB: 64, boot: { kernelImage: kernel }, networks: [], start: true } });
      const done = await admin.client.call('operations.wait', { params: { id: op.id }, query: { timeout: 10 } });
      assert.equal(done.status, 'failed');
      assert.equal(done.error!.code, 'HYPERVISOR_ERROR');
      assert.match(done.error!.message, /could not open kernel/);
      const vmId = done.resources[0].split('/').pop()!;
      assert.ok(agent.received('vm.purge').some((c) => (c.args as { vmId: string }).vmId === vmId), 'the node was told to forget it');
      assert.equal(specOf(vmId), undefined);
      await expectProblem(admin.client.call('vms.get', { params: { id: vmId } }), 'NOT_FOUND', 404);
    } finally {
      agent.startFailure = undefined;
    }
  });

  it('lists with filters, patches, and refuses bad references with clear errors', async () => {
    const { result } = await create(admin.client, { labels: { env: 'prod', team: 'core' }, description: 'Web frontend', start: false });
    const id = result.vmId;
    const ids = async (query: Record<string, unknown>) => (await admin.client.call('vms.list', { query: query as never })).items.map((v) => v.id);
    assert.ok((await ids({ label: 'env=prod' })).includes(id));
    assert.ok((await ids({ label: 'team' })).includes(id));
    assert.ok(!(await ids({ label: 'env=dev' })).includes(id));
    assert.ok((await ids({ text: 'FRONTEND' })).includes(id));
    assert.ok((await ids({ state: 'stopped' })).includes(id));
    assert.ok(!(await ids({ state: 'running' })).includes(id));
    assert.ok((await ids({ node: agent.nodeId })).includes(id));
    const page = await admin.client.call('vms.list', { query: { limit: 1 } });
    assert.equal(page.items.length, 1);
    assert.ok(page.nextCursor);

    const patched = await admin.client.call('vms.update', { params: { id }, body: { name: 'renamed', vcpus: 2, memoryMiB: 256, restartPolicy: 'always', bootOrder: ['cdrom', 'disk'] } });
    assert.equal(patched.name, 'renamed');
    assert.equal(patched.vcpus, 2);
    assert.equal(patched.pendingRestart, false, 'stopped VMs take changes at once');
    assert.equal(specOf(id)!.vcpus, 2);
    assert.equal(specOf(id)!.restartPolicy, 'always');

    await expectProblem(admin.client.call('vms.create', { body: { name: 'renamed', vcpus: 1, memoryMiB: 64, boot: { kernelImage: kernel } } }), 'ALREADY_EXISTS', 409);
    await expectProblem(admin.client.call('vms.create', { body: { name: 'x1', vcpus: 1, memoryMiB: 64, boot: { kernelImage: initrd } } }), 'BAD_REQUEST', 400);
    await expectProblem(admin.client.call('vms.create', { body: { name: 'x2', vcpus: 1, memoryMiB: 64 } }), 'BAD_REQUEST', 400);
    await expectProblem(admin.client.call('vms.create', { body: { name: 'x3', vcpus: 1, memoryMiB: 64, boot: { kernelImage: '01zzzzzzzzzzzzzzzzzzzzzz' } } }), 'NOT_FOUND', 404);
    await expectProblem(admin.client.call('vms.create', { body: { name: 'x4', vcpus: 1, memoryMiB: 64, boot: { kernelImage: kernel }, networks: [{ network: 'nope' }] } }), 'NOT_FOUND', 404);
    await expectProblem(admin.client.call('vms.create', { body: { name: 'x5', vcpus: 1, memoryMiB: 64, boot: { kernelImage: kernel }, bogus: 1 } as never }), 'VALIDATION_FAILED', 400);
    await expectProblem(admin.client.call('vms.create', { body: { name: 'x6', vcpus: 1, memoryMiB: 1024 * 1024, boot: { kernelImage: kernel } } }), 'NO_NODE_AVAILABLE', 422);
  });

  it('marks templates, clones them (linked) and deletes VMs with the volumes made for them', async () => {
    const { result } = await create(admin.client, { disks: [{ sizeGiB: 1 }], start: false, name: 'tmpl' });
    const tmpl = await admin.client.call('vms.update', { params: { id: result.vmId }, body: { isTemplate: true } });
    assert.equal(tmpl.isTemplate, true);
    await expectProblem(admin.client.call('vms.start', { params: { id: tmpl.id } }), 'INVALID_STATE', 409);
    const cloneOp = await admin.client.call('vms.clone', { params: { id: tmpl.id }, body: { name: 'from-tmpl', linked: true, start: true } });
    assert.equal(cloneOp.kind, 'vm.clone');
    const { vmId } = (await settle(admin.client, cloneOp.id)) as { vmId: string };
    const clone = await admin.client.call('vms.get', { params: { id: vmId } });
    assert.equal(clone.state, 'running');
    assert.equal(clone.isTemplate, false);
    assert.notEqual(clone.networks[0].mac, tmpl.networks[0].mac);
    const copy = agent.received('volume.create').at(-1)!.args as { from: { type: string; volume: string }; linked: boolean };
    assert.deepEqual([copy.from.type, copy.from.volume, copy.linked], ['volume', tmpl.disks[0].volumeId, true]);
    // the template's disk backs the clone: it cannot go first
    await expectProblem(admin.client.call('vms.delete', { params: { id: tmpl.id } }), 'IN_USE', 409);

    const cloneVolume = clone.disks[0].volumeId!;
    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id: clone.id } })).id);
    await expectProblem(admin.client.call('vms.get', { params: { id: clone.id } }), 'NOT_FOUND', 404);
    await expectProblem(admin.client.call('volumes.get', { params: { id: cloneVolume } }), 'NOT_FOUND', 404);
    assert.ok(agent.received('volume.delete').some((c) => (c.args as { volumeId: string }).volumeId === cloneVolume));
    assert.equal(specOf(clone.id), undefined, 'gone from the desired state');
    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id: tmpl.id } })).id);
  });

  it('never runs a template or the base of linked clones: start and disk revert are refused, marking waits for a start to settle', async () => {
    const { result } = await create(admin.client, { disks: [{ sizeGiB: 1 }], start: false, name: 'base' });
    const id = result.vmId;
    // a start that is under way (desired running, the node has not reported it yet) cannot end in a running template
    await srv.services.store.db.updateTable('vms').set({ power_state: 'running' }).where('id', '=', id).execute();
    await expectProblem(admin.client.call('vms.update', { params: { id }, body: { isTemplate: true } }), 'INVALID_STATE', 409);
    await srv.services.store.db.updateTable('vms').set({ power_state: 'stopped' }).where('id', '=', id).execute();

    const snapOp = await admin.client.call('vms.snapshots.create', { params: { id }, body: { name: 'cold' } });
    const { snapshotId } = (await settle(admin.client, snapOp.id)) as { snapshotId: string };
    const cloneOp = await admin.client.call('vms.clone', { params: { id }, body: { name: 'base-clone', linked: true } });
    const { vmId: cloneId } = (await settle(admin.client, cloneOp.id)) as { vmId: string };
    // not a template, but its volume backs the clone: running it (or rewinding its disk) would change the clone's disk
    await expectProblem(admin.client.call('vms.start', { params: { id } }), 'IN_USE', 409);
    await expectProblem(admin.client.call('vms.snapshots.revert', { params: { id, snapshotId } }), 'IN_USE', 409);
    assert.equal(specOf(id)!.powerState, 'stopped', 'the node was never asked to start it');
    await settle(admin.client, (await admin.client.call('vms.start', { params: { id: cloneId } })).id);

    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id: cloneId } })).id);
    await settle(admin.client, (await admin.client.call('vms.snapshots.revert', { params: { id, snapshotId } })).id);
    await settle(admin.client, (await admin.client.call('vms.start', { params: { id } })).id);
    assert.equal((await admin.client.call('vms.get', { params: { id } })).state, 'running');
    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id } })).id);
  });

  it('resizes a running VM live where the node can, else at its next start', async () => {
    const { result } = await create();
    const id = result.vmId;
    const live = await admin.client.call('vms.update', { params: { id }, body: { vcpus: 2, memoryMiB: 256 } });
    assert.deepEqual([live.vcpus, live.memoryMiB, live.pendingRestart], [2, 256, false]);
    assert.deepEqual(agent.received('vm.resize').at(-1)!.args, { vmId: id, vcpus: 2, memoryMiB: 256 });
    const original = agent.handlers['vm.resize']!;
    agent.handlers['vm.resize'] = () => ({ error: { code: 'UNSUPPORTED', message: 'above maxcpus' } });
    try {
      const pending = await admin.client.call('vms.update', { params: { id }, body: { vcpus: 4 } });
      assert.deepEqual([pending.vcpus, pending.pendingRestart], [4, true]);
      assert.equal(specOf(id)!.vcpus, 4, 'the spec has it for the next start');
    } finally {
      agent.handlers['vm.resize'] = original;
    }
    await settle(admin.client, (await admin.client.call('vms.stop', { params: { id } })).id);
    assert.equal((await admin.client.call('vms.get', { params: { id } })).pendingRestart, false, 'cleared once stopped');
  });

  it('snapshots: create (RAM only when running), list, revert rules, delete', async () => {
    const { result } = await create();
    const id = result.vmId;
    const take = async (name: string, includeRam: boolean) => (await settle(admin.client, (await admin.client.call('vms.snapshots.create', { params: { id }, body: { name, includeRam } })).id)) as { snapshotId: string; includesRam: boolean };
    const ram = await take('with-ram', true);
    assert.equal(ram.includesRam, true);
    await expectProblem(admin.client.call('vms.snapshots.create', { params: { id }, body: { name: 'with-ram' } }), 'ALREADY_EXISTS', 409);
    const list = await admin.client.call('vms.snapshots.list', { params: { id } });
    assert.deepEqual(list.items.map((s) => [s.name, s.includesRam, s.vmState]), [['with-ram', true, 'running']]);
    await settle(admin.client, (await admin.client.call('vms.snapshots.revert', { params: { id, snapshotId: ram.snapshotId } })).id);
    await settle(admin.client, (await admin.client.call('vms.stop', { params: { id } })).id);
    const disk = await take('disk-only', true);
    assert.equal(disk.includesRam, false, 'a stopped VM has no RAM to save');
    await expectProblem(admin.client.call('vms.snapshots.revert', { params: { id, snapshotId: ram.snapshotId } }), 'INVALID_STATE', 409);
    await settle(admin.client, (await admin.client.call('vms.snapshots.revert', { params: { id, snapshotId: disk.snapshotId } })).id);
    await settle(admin.client, (await admin.client.call('vms.snapshots.delete', { params: { id, snapshotId: disk.snapshotId } })).id);
    assert.equal((await admin.client.call('vms.snapshots.list', { params: { id } })).items.length, 1);
  });

  it('hot-plugs disks and NICs into a running VM and keeps them in the spec', async () => {
    const { result } = await create();
    const id = result.vmId;
    const { diskId } = (await settle(admin.client, (await admin.client.call('vms.disks.attach', { params: { id }, body: { sizeGiB: 1 } })).id)) as { diskId: string };
    const attach = agent.received('vm.disk.attach').at(-1)!.args as { vmId: string; disk: { id: string; source: { type: string } } };
    assert.equal(attach.disk.id, diskId);
    assert.equal(attach.disk.source.type, 'volume');
    assert.ok(specOf(id)!.disks.some((d) => d.id === diskId));
    const { nicId } = (await settle(admin.client, (await admin.client.call('vms.nics.attach', { params: { id }, body: { network: 'default' } })).id)) as { nicId: string };
    assert.equal((await admin.client.call('vms.get', { params: { id } })).networks.length, 2);
    await settle(admin.client, (await admin.client.call('vms.nics.detach', { params: { id, nicId } })).id);
    const detached = (await settle(admin.client, (await admin.client.call('vms.disks.detach', { params: { id, diskId } })).id)) as { volumeId: string };
    assert.ok(!specOf(id)!.disks.some((d) => d.id === diskId));
    const vol = await admin.client.call('volumes.get', { params: { id: detached.volumeId } });
    assert.equal(vol.state, 'available', 'a detached volume is kept');
    assert.equal(vol.ownerVmId, null);
  });

  it('refuses a host port forward that a VM on the same node already has: 409 CONFLICT at create and at NIC attach', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const nic = (hostPort: number, hostAddress?: string) => ({ network: 'default', portForwards: [{ hostPort, guestPort: 80, ...(hostAddress ? { hostAddress } : {}) }] });
    const body = (networks: unknown[], kernelImage = kernel) => ({
      name: `pf-${Math.random().toString(36).slice(2, 8)}`, vcpus: 1, memoryMiB: 128, boot: { kernelImage }, networks,
    }) as never;
    const { result: a } = await create(admin.client, { networks: [nic(port)], start: false });
    await expectProblem(admin.client.call('vms.create', { body: body([nic(port)]) }), 'CONFLICT', 409);
    await expectProblem(admin.client.call('vms.create', { body: body([nic(port, '0.0.0.0')]) }), 'CONFLICT', 409);
    await expectProblem(admin.client.call('vms.create', { body: body([nic(port + 1), nic(port + 1)]) }), 'CONFLICT', 409);
    // another tenant's VM on the node holds it just the same (and is not named)
    const other = await createUser(srv, { tenant: 'pf-other', role: 'operator' });
    const otherKernel = await createTestImage(srv, other.client, other.tenantId, 'kernel');
    const refused = await other.client.call('vms.create', { body: body([nic(port)], otherKernel) }).then(() => undefined, (e: Error) => e);
    assert.match(String(refused?.message), /another VM on node/);
    assert.doesNotMatch(String(refused?.message), new RegExp(a.vmId));

    const { result: b } = await create(admin.client, { networks: [nic(port + 1)] });
    await expectProblem(admin.client.call('vms.nics.attach', { params: { id: b.vmId }, body: nic(port) }), 'CONFLICT', 409);
    await expectProblem(admin.client.call('vms.nics.attach', { params: { id: b.vmId }, body: nic(port + 1) }), 'CONFLICT', 409);
    assert.equal((await admin.client.call('vms.get', { params: { id: b.vmId } })).networks.length, 1, 'nothing was attached');
    // a deleted VM frees its ports
    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id: a.vmId } })).id);
    await settle(admin.client, (await admin.client.call('vms.nics.attach', { params: { id: b.vmId }, body: nic(port) })).id);
    const nics = (await admin.client.call('vms.get', { params: { id: b.vmId } })).networks;
    assert.deepEqual(nics.map((n) => n.portForwards[0]?.hostPort), [port + 1, port]);

    // Two tenants racing for one free port: the database's claim lets exactly one through, even though neither request
    // saw the other's VM when it checked. Then the winner's NIC goes and the port is free again.
    // A slow disk keeps each create's NIC rows unwritten for a while, so the requests really overlap.
    const race = port + 2;
    const fast = agent.handlers['volume.create']!;
    agent.handlers['volume.create'] = async (a, c, ag) => (await new Promise((r) => setTimeout(r, 500)), fast(a, c, ag));
    const withDisk = (networks: unknown[], kernelImage?: string) => ({ ...(body(networks, kernelImage) as object), disks: [{ sizeGiB: 1 }] }) as never;
    const outcomes = await Promise.allSettled([
      admin.client.call('vms.create', { body: withDisk([nic(race)]) }),
      other.client.call('vms.create', { body: withDisk([nic(race)], otherKernel) }),
    ]).finally(() => (agent.handlers['volume.create'] = fast));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, JSON.stringify(outcomes.map((o) => o.status)));
    for (const o of outcomes) if (o.status === 'rejected') assert.equal((o.reason as { code?: string }).code, 'CONFLICT');
    for (const o of outcomes) if (o.status === 'fulfilled') await settle(admin.client, o.value.id);
  });

  it('enforces tenant quotas on create and resize with 422 QUOTA_EXCEEDED', async () => {
    const tenant = await admin.client.call('tenants.create', { body: { name: 'quota-t', quotas: { vms: 2, vcpus: 2, memoryMiB: 512, diskGiB: 3 } } });
    const op = await createUser(srv, { tenant: 'quota-t', role: 'operator' });
    const k = await createTestImage(srv, op.client, tenant.id, 'kernel');
    const body = (name: string, extra: Record<string, unknown> = {}) => ({ name, vcpus: 1, memoryMiB: 128, boot: { kernelImage: k }, ...extra }) as never;
    const e1 = await expectProblem(op.client.call('vms.create', { body: body('big', { vcpus: 3 }) }), 'QUOTA_EXCEEDED', 422);
    assert.match(e1.message, /quota-t.*vCPUs: 0 in use \+ 3 requested > quota 2/);
    await expectProblem(op.client.call('vms.create', { body: body('fat', { disks: [{ sizeGiB: 4 }] }) }), 'QUOTA_EXCEEDED', 422);
    const first = await op.client.call('vms.create', { body: body('q1', { disks: [{ sizeGiB: 2 }] }) });
    const { vmId } = (await settle(op.client, first.id)) as { vmId: string };
    await settle(op.client, (await op.client.call('vms.create', { body: body('q2') })).id);
    const e3 = await expectProblem(op.client.call('vms.create', { body: body('q3', { vcpus: 1 }) }), 'QUOTA_EXCEEDED', 422);
    assert.match(e3.message, /VMs: 2 in use \+ 1 requested > quota 2/);
    await expectProblem(op.client.call('vms.update', { params: { id: vmId }, body: { memoryMiB: 512 } }), 'QUOTA_EXCEEDED', 422);
    const volOp = await op.client.call('volumes.create', { body: { name: 'd1', sizeGiB: 1 } });
    const { volumeId } = (await settle(op.client, volOp.id)) as { volumeId: string };
    await expectProblem(op.client.call('volumes.resize', { params: { id: volumeId }, body: { sizeGiB: 2 } }), 'QUOTA_EXCEEDED', 422);
    await expectProblem(op.client.call('volumes.resize', { params: { id: volumeId }, body: { sizeGiB: 1 } }), 'BAD_REQUEST', 400);
    const usage = (await admin.client.call('tenants.get', { params: { id: tenant.id } })).usage;
    assert.deepEqual(usage, { vms: 2, vcpus: 2, memoryMiB: 256, diskGiB: 3 });
  });

  it('isolates tenants: another tenant\'s VM is 404 for reads, actions and consoles, and absent from lists', async () => {
    await admin.client.call('tenants.create', { body: { name: 'iso-a' } });
    await admin.client.call('tenants.create', { body: { name: 'iso-b' } });
    const a = await createUser(srv, { tenant: 'iso-a', role: 'operator' });
    const b = await createUser(srv, { tenant: 'iso-b', role: 'operator' });
    const k = await createTestImage(srv, a.client, a.tenantId, 'kernel');
    const opA = await a.client.call('vms.create', { body: { name: 'secret', vcpus: 1, memoryMiB: 64, boot: { kernelImage: k }, start: true } });
    const { vmId } = (await settle(a.client, opA.id)) as { vmId: string };
    assert.equal((await a.client.call('vms.get', { params: { id: vmId } })).name, 'secret');
    for (const call of [
      () => b.client.call('vms.get', { params: { id: vmId } }),
      () => b.client.call('vms.update', { params: { id: vmId }, body: { name: 'mine' } }),
      () => b.client.call('vms.stop', { params: { id: vmId } }),
      () => b.client.call('vms.delete', { params: { id: vmId } }),
      () => b.client.call('vms.consoleTickets.create', { params: { id: vmId } }),
      () => b.client.call('vms.serialLog', { params: { id: vmId } }),
      () => b.client.call('vms.snapshots.list', { params: { id: vmId } }),
      () => b.client.call('vms.clone', { params: { id: vmId }, body: { name: 'stolen' } }),
    ]) await expectProblem(call(), 'NOT_FOUND', 404);
    assert.ok(!(await b.client.call('vms.list')).items.some((v) => v.id === vmId));
    assert.ok(!(await b.client.call('vms.list', { query: { tenant: a.tenantId } })).items.length);
    // nor can B use A's image or create in A's tenant
    await expectProblem(b.client.call('vms.create', { body: { name: 'x', vcpus: 1, memoryMiB: 64, boot: { kernelImage: k } } }), 'NOT_FOUND', 404);
    await expectProblem(b.client.call('vms.create', { body: { name: 'x', tenant: a.tenantId, vcpus: 1, memoryMiB: 64, boot: { kernelImage: k } } }), 'NOT_FOUND', 404);
    // and B never sees A's VM events
    const aEvents = events.filter((e) => e.resource === `/api/v1/vms/${vmId}`);
    assert.ok(aEvents.length > 0 && aEvents.every((e) => e.tenantId === a.tenantId && e.permission === 'vm:read'));
  });
});
