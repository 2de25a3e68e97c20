// The compute store on both dialects: VM repository (scoping, filters, paging, spec/status), usage and quotas, join
// tokens and node credentials, and the status service's rules.
import type { Event } from '@novacron/api';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ComputeUsageProvider, GiB, QuotaGuard } from '../compute/quota';
import { EventBus } from '../events/event-bus';
import { systemClock } from '../lib/clock';
import { newId } from '../lib/ids';
import { decodeCursor } from '../lib/pagination';
import { NodeRepository } from '../nodes/node.repository';
import { AgentAuthError, NodeService } from '../nodes/node.service';
import { StorageRepository } from '../storage/storage.repository';
import type { VmRow } from '../store/compute-schema';
import { openStore, type Store } from '../store/db';
import { migrate } from '../store/migrate';
import { ManualClock } from '../testing/manual-clock';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../testing/test-database';
import { VmStatusService } from './vm-status.service';
import { VmRepository } from './vm.repository';

const now = () => new Date().toISOString();

for (const dialect of TEST_DIALECTS) {
  describe(`compute store on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let repo: VmRepository;
    let storage: StorageRepository;
    const t1 = newId();
    const t2 = newId();
    const poolId = newId();

    const vmRow = (over: Partial<VmRow>): VmRow => ({
      id: newId(), tenant_id: t1, name: `vm-${newId().slice(-5)}`, description: '', labels: '{}', node_id: 'n1', phase: 'ready', vcpus: 1, memory_mib: 128, max_vcpus: null, max_memory_mib: null,
      restart_policy: 'no', power_state: 'stopped', revision: 1, shutdown_timeout: 0, boot: JSON.stringify({ kernelImage: null, initrdImage: null, cmdline: null, order: ['disk'] }),
      cloud_init: null, is_template: 0, pending_restart: 0, created_by: null, created_at: now(), updated_at: now(), ...over,
    });
    const insert = async (over: Partial<VmRow>, state = 'stopped') => {
      const vm = vmRow(over);
      await repo.insert(vm, { vm_id: vm.id, state, observed_revision: 0, pid: null, accel: null, since: now(), error_code: null, error_message: null, guest: null, updated_at: now() });
      return vm;
    };

    before(async () => {
      database = await createTestDatabase(dialect);
      store = openStore(database.url);
      await migrate(store);
      repo = new VmRepository(store);
      storage = new StorageRepository(store);
      for (const [id, name, q] of [[t1, 'one', 3], [t2, 'two', null]] as const) {
        await store.db.insertInto('tenants').values({ id, name, description: '', quota_vms: q, quota_vcpus: q === null ? null : 4, quota_memory_mib: null, quota_disk_gib: q === null ? null : 10, created_at: now(), updated_at: now() }).execute();
      }
      await storage.insertPool({ id: poolId, name: 'default', driver: 'dir', path: '/tmp/p', capacity_bytes: null, available_bytes: null, allocation_bytes: null, created_at: now(), updated_at: now() });
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    it('scopes every read by tenant and filters by state, label, text, template and node', async () => {
      const a = await insert({ name: 'Web-Frontend', labels: JSON.stringify({ env: 'prod', tier: 'web' }), description: 'the shop' }, 'running');
      const b = await insert({ name: 'db', labels: JSON.stringify({ env: 'dev' }), is_template: 1, node_id: 'n2' });
      const c = await insert({ tenant_id: t2, name: 'other', phase: 'creating' });
      const names = async (scope: 'all' | string[], f: Record<string, unknown> = {}) => (await repo.list(scope, { limit: 100, ...f })).map((r) => r.name).sort();
      assert.deepEqual(await names([t1]), ['Web-Frontend', 'db']);
      assert.deepEqual(await names([]), []);
      assert.deepEqual(await names('all'), ['Web-Frontend', 'db', 'other']);
      assert.equal(await repo.get(c.id, [t1]), undefined);
      assert.ok(await repo.get(c.id, 'all'));
      assert.deepEqual(await names('all', { state: 'running' }), ['Web-Frontend']);
      assert.deepEqual(await names('all', { state: 'creating' }), ['other']);
      assert.deepEqual(await names('all', { state: 'stopped' }), ['db'], 'a creating VM is not "stopped"');
      assert.deepEqual(await names('all', { label: 'env=prod' }), ['Web-Frontend']);
      assert.deepEqual(await names('all', { label: 'env' }), ['Web-Frontend', 'db']);
      assert.deepEqual(await names('all', { label: 'tier=we' }), [], 'label values match whole');
      assert.deepEqual(await names('all', { label: 'e%v' }), [], 'LIKE wildcards are escaped');
      assert.deepEqual(await names('all', { text: 'FRONT' }), ['Web-Frontend']);
      assert.deepEqual(await names('all', { text: 'SHOP' }), ['Web-Frontend'], 'description too');
      assert.deepEqual(await names('all', { text: '_' }), [], 'underscore is literal');
      assert.deepEqual(await names('all', { template: true }), ['db']);
      assert.deepEqual(await names('all', { node: 'n2' }), ['db']);
      assert.equal(await repo.nameTaken(t1, 'db'), true);
      assert.equal(await repo.nameTaken(t2, 'db'), false, 'names are unique per tenant');
      assert.equal(await repo.nameTaken(t1, 'db', b.id), false);
      void a;
    });

    it('pages newest first by id', async () => {
      const rows = await repo.list('all', { limit: 2 });
      assert.equal(rows.length, 3, 'limit + 1 tells there is more');
      const next = await repo.list('all', { limit: 2, before: decodeCursor(Buffer.from(JSON.stringify({ after: rows[1].id })).toString('base64url')) });
      assert.ok(next.every((r) => r.id < rows[1].id));
    });

    it('writes spec and status separately; the revision only moves when asked', async () => {
      const vm = await insert({});
      assert.equal(await repo.updateSpec(vm.id, { power_state: 'running' }, true), 2);
      assert.equal(await repo.updateSpec(vm.id, { description: 'x' }, false), 2);
      await repo.writeStatus({ vm_id: vm.id, state: 'running', observed_revision: 2, pid: 99, accel: 'tcg', since: now(), error_code: null, error_message: null, guest: null, updated_at: now() });
      const [spec, status] = [await repo.get(vm.id, 'all'), await repo.status(vm.id)];
      assert.deepEqual([spec!.power_state, spec!.description, Number(spec!.revision)], ['running', 'x', 2]);
      assert.deepEqual([status!.state, Number(status!.pid), Number(status!.observed_revision)], ['running', 99, 2]);
      await repo.insertDisk({ id: newId(), vm_id: vm.id, position: 0, volume_id: null, image_id: 'img1', media: 'cdrom', bus: 'ide', format: 'raw', readonly: 1 });
      assert.equal(await repo.imageUsers('img1'), 1);
      await repo.delete(vm.id);
      assert.equal(await repo.status(vm.id), undefined);
      assert.deepEqual(await repo.disks([vm.id]), []);
    });

    it('counts usage per tenant and enforces quotas with a clear message', async () => {
      for (const [tenant, size] of [[t1, 3 * GiB], [t1, GiB / 2], [t2, GiB]] as const) {
        await storage.insertVolume({
          id: newId(), tenant_id: tenant, name: `v-${newId().slice(-6)}`, pool_id: poolId, node_id: 'n1', format: 'qcow2', size_bytes: size, allocation_bytes: null,
          state: 'available', attached_vm_id: null, attached_disk_id: null, owner_vm_id: null, source_image_id: null, backing_volume_id: null, created_at: now(), updated_at: now(),
        });
      }
      const usage = new ComputeUsageProvider(repo, storage);
      const u = await usage.usage([t1, t2, 'nobody']);
      assert.deepEqual(u.get(t1), { vms: 2, vcpus: 2, memoryMiB: 256, diskGiB: 4 }, 'numbers, not strings, on both dialects');
      assert.deepEqual(u.get(t2), { vms: 1, vcpus: 1, memoryMiB: 128, diskGiB: 1 });
      assert.equal(u.get('nobody'), undefined);
      const quota = new QuotaGuard(store, usage);
      await quota.check(t1, { vms: 1, vcpus: 2, diskGiB: 6 });
      await assert.rejects(quota.check(t1, { vms: 2 }), /quota of tenant one exceeded \(VMs: 2 in use \+ 2 requested > quota 3\)/);
      await assert.rejects(quota.check(t1, { vcpus: 3, diskGiB: 7 }), (e: Error & { code?: string }) => e.code === 'QUOTA_EXCEEDED' && /vCPUs.*; disk: 4 GiB in use \+ 7 GiB requested > quota 10 GiB/.test(e.message));
      await quota.check(t2, { vms: 1000, vcpus: 1000 });
      await quota.check(t1, { vcpus: -5 }); // shrinking never fails
    });

    it('join tokens are single use and expire; credentials are looked up by hash', async () => {
      const clock = new ManualClock();
      const nodes = new NodeService(new NodeRepository(store), new EventBus(clock), clock);
      const inventory = { cpuModel: 'x', cpus: 2, memoryMiB: 1024, disks: [], kvm: false, accel: 'tcg' as const, qemuVersion: '7.2', agentVersion: 't', arch: 'x86_64' };
      const hello = (auth: { joinToken?: string; nodeCredential?: string }) => ({ type: 'hello' as const, protocolVersion: 1, hostname: 'h1', inventory, ...auth });
      const t = await nodes.createJoinToken({ ttlSeconds: 60, description: '', createdBy: null });
      const [r1, r2] = await Promise.allSettled([nodes.authenticate(hello({ joinToken: t.token })), nodes.authenticate(hello({ joinToken: t.token }))]);
      assert.equal([r1, r2].filter((r) => r.status === 'fulfilled').length, 1, 'exactly one of two racing joins wins');
      const joined = (r1.status === 'fulfilled' ? r1 : (r2 as PromiseFulfilledResult<Awaited<ReturnType<typeof nodes.authenticate>>>)).value;
      assert.ok(joined.credential);
      assert.equal((await nodes.authenticate(hello({ nodeCredential: joined.credential }))).node.id, joined.node.id);
      await assert.rejects(nodes.authenticate(hello({ nodeCredential: 'ncn_nope' })), AgentAuthError);
      const late = await nodes.createJoinToken({ ttlSeconds: 60, description: '', createdBy: null });
      clock.advance(61);
      await assert.rejects(nodes.authenticate(hello({ joinToken: late.token })), AgentAuthError);
      const second = await nodes.createJoinToken({ ttlSeconds: 60, description: '', createdBy: null });
      const again = await nodes.authenticate(hello({ joinToken: second.token }));
      assert.equal(again.node.name, 'h1-2', 'node names stay unique');
    });

    it('status service: lifecycle events, sticky crashed, and the restart-policy rule', async () => {
      const bus = new EventBus(systemClock);
      const seen: Event[] = [];
      bus.subscribe((e) => seen.push(e));
      const pushed: string[] = [];
      const status = new VmStatusService(repo, bus, systemClock, async (n) => void pushed.push(n));
      const vm = await insert({ power_state: 'running', revision: 3, restart_policy: 'no', node_id: 'n9' });
      const report = (state: string, rev = 3, extra = {}) => status.apply('n9', { vmId: vm.id, state: state as never, observedRevision: rev, pid: state === 'running' ? 7 : null, accel: 'tcg', since: now(), ...extra });
      await report('running');
      await report('running'); // duplicate: no event
      await status.apply('n-other', { vmId: vm.id, state: 'paused', observedRevision: 3, pid: 7, accel: 'tcg', since: now() }); // not its node
      assert.deepEqual(seen.map((e) => e.type), ['vm.started']);
      await report('crashed', 3, { error: { code: 'QEMU_EXITED', message: 'killed' } });
      assert.deepEqual(seen.map((e) => e.type), ['vm.started', 'vm.crashed']);
      const after = await repo.get(vm.id, 'all');
      assert.equal(after!.power_state, 'stopped', 'policy "no": now meant to be stopped');
      assert.equal(Number(after!.revision), 4);
      assert.deepEqual(pushed, ['n9']);
      await report('stopped', 4);
      const st = await repo.status(vm.id);
      assert.deepEqual([st!.state, st!.error_message], ['crashed', 'killed'], 'crashed stays visible until it runs again');

      const always = await insert({ power_state: 'running', revision: 1, restart_policy: 'on-failure', node_id: 'n9' });
      await status.apply('n9', { vmId: always.id, state: 'running', observedRevision: 1, pid: 1, accel: 'tcg', since: now() });
      await status.apply('n9', { vmId: always.id, state: 'crashed', observedRevision: 1, pid: null, accel: null, since: now() });
      assert.equal((await repo.get(always.id, 'all'))!.power_state, 'running', 'on-failure: the node restarts it');
      await status.apply('n9', { vmId: always.id, state: 'running', observedRevision: 1, pid: 2, accel: 'tcg', since: now() });
      await status.apply('n9', { vmId: always.id, state: 'stopped', observedRevision: 1, pid: null, accel: null, since: now() });
      assert.equal((await repo.get(always.id, 'all'))!.power_state, 'stopped', 'on-failure: a guest power-off stays off');

      // a stale report (older revision) never flips desired state
      const fresh = await insert({ power_state: 'running', revision: 5, node_id: 'n9' });
      await status.apply('n9', { vmId: fresh.id, state: 'running', observedRevision: 4, pid: 1, accel: 'tcg', since: now() });
      await status.apply('n9', { vmId: fresh.id, state: 'stopped', observedRevision: 4, pid: null, accel: null, since: now() });
      assert.equal((await repo.get(fresh.id, 'all'))!.power_state, 'running');

      // waiters see the change they wait for, or the error
      const waiting = status.waitFor(fresh.id, (s) => s.state === 'running' && Number(s.observed_revision) >= 5, 2000, 'start');
      await status.apply('n9', { vmId: fresh.id, state: 'running', observedRevision: 5, pid: 1, accel: 'tcg', since: now() });
      assert.equal((await waiting).state, 'running');
      await assert.rejects(status.waitFor(fresh.id, () => false, 50, 'stop'), /did not stop within 0 s/);
    });
  });
}
