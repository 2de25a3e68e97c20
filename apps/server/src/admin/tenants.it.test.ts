import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TenantUsage } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createUser, type TestUser } from '../testing/test-users';
import { fails } from './admin-test-helpers';
import type { TenantUsageProvider } from './tenant-usage';

// Stands in for the compute module: proves usage flows from the provider into answers and delete checks.
class FixedUsage implements TenantUsageProvider {
  constructor(private readonly values: Record<string, TenantUsage>) {}
  async usage(ids: readonly string[]) {
    return new Map(ids.filter((id) => this.values[id]).map((id) => [id, this.values[id]]));
  }
}

for (const dialect of TEST_DIALECTS) {
  describe(`tenants on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;

    before(async () => {
      srv = await startTestServer({ dialect });
      admin = await srv.admin();
    });
    after(() => srv.close());

    it('creates a tenant with quotas (unlimited when missing) and zero usage while the tenant has no VMs', async () => {
      const t = await admin.client.call('tenants.create', { body: { name: 'initech', description: 'TPS reports', quotas: { vms: 10, memoryMiB: 65536 } } });
      assert.deepEqual(t.quotas, { vms: 10, vcpus: null, memoryMiB: 65536, diskGiB: null });
      assert.deepEqual(t.usage, { vms: 0, vcpus: 0, memoryMiB: 0, diskGiB: 0 });
      assert.equal(t.users, 0);
      await fails(admin.client.call('tenants.create', { body: { name: 'initech' } }), 409, 'ALREADY_EXISTS');
      await fails(admin.client.call('tenants.create', { body: { name: 'bad', quotas: { vms: -1 } } }), 400, 'VALIDATION_FAILED');
      await fails(admin.client.call('tenants.create', { body: { name: 'bad', quotas: { cpus: 1 } as never } }), 400, 'VALIDATION_FAILED');
    });

    it('updates name, description and quotas, merging and lifting with null', async () => {
      const t = await admin.client.call('tenants.create', { body: { name: 'hooli', quotas: { vms: 5, vcpus: 8 } } });
      const u = await admin.client.call('tenants.update', { params: { id: t.id }, body: { name: 'hooli-xyz', quotas: { vms: null, diskGiB: 100 } } });
      assert.equal(u.name, 'hooli-xyz');
      assert.deepEqual(u.quotas, { vms: null, vcpus: 8, memoryMiB: null, diskGiB: 100 });
      assert.equal((await admin.client.call('tenants.get', { params: { id: t.id } })).description, '');
      await fails(admin.client.call('tenants.update', { params: { id: t.id }, body: { name: 'default' } }), 409, 'ALREADY_EXISTS');
      await fails(admin.client.call('tenants.update', { params: { id: 'nope' }, body: {} }), 404, 'NOT_FOUND');
    });

    it('shows usage from the provider the compute module plugs in', async () => {
      const t = await admin.client.call('tenants.create', { body: { name: 'umbrella' } });
      const previous = srv.services.tenantUsage;
      srv.services.tenantUsage = new FixedUsage({ [t.id]: { vms: 2, vcpus: 4, memoryMiB: 4096, diskGiB: 40 } });
      try {
        assert.deepEqual((await admin.client.call('tenants.get', { params: { id: t.id } })).usage, { vms: 2, vcpus: 4, memoryMiB: 4096, diskGiB: 40 });
        await fails(admin.client.call('tenants.delete', { params: { id: t.id } }), 409, 'IN_USE');
      } finally {
        srv.services.tenantUsage = previous;
      }
      await admin.client.call('tenants.delete', { params: { id: t.id } });
    });

    it('refuses to delete a tenant that owns users, and the default tenant', async () => {
      const t = await admin.client.call('tenants.create', { body: { name: 'cyberdyne' } });
      const user = await createUser(srv, { tenant: 'cyberdyne' });
      assert.equal((await admin.client.call('tenants.get', { params: { id: t.id } })).users, 1);
      await fails(admin.client.call('tenants.delete', { params: { id: t.id } }), 409, 'IN_USE');
      await admin.client.call('users.delete', { params: { id: user.user.id } });
      await admin.client.call('tenants.delete', { params: { id: t.id } });
      await fails(admin.client.call('tenants.get', { params: { id: t.id } }), 404, 'NOT_FOUND');
      const def = (await admin.client.call('tenants.list', { query: { text: 'default' } })).items.find((x) => x.name === 'default');
      assert.ok(def);
      await fails(admin.client.call('tenants.delete', { params: { id: def.id } }), 409, 'INVALID_STATE');
    });

    it('refuses to delete a tenant that still owns other resources', async () => {
      const t = await admin.client.call('tenants.create', { body: { name: 'soylent' } });
      const net = await admin.client.call('networks.create', { body: { name: 'soylent-net', tenant: t.id } });
      await fails(admin.client.call('tenants.delete', { params: { id: t.id } }), 409, 'IN_USE');
      await admin.client.call('networks.delete', { params: { id: net.id } });
      await admin.client.call('tenants.delete', { params: { id: t.id } });
    });

    it('lists oldest first with text filter and cursor', async () => {
      const all = await admin.client.call('tenants.list', { query: { limit: 1000 } });
      assert.deepEqual(all.items.map((t) => t.id), [...all.items.map((t) => t.id)].sort());
      const page = await admin.client.call('tenants.list', { query: { limit: 1 } });
      assert.ok(page.nextCursor);
      const next = await admin.client.call('tenants.list', { query: { limit: 1, cursor: page.nextCursor } });
      assert.equal(next.items[0].id, all.items[1].id);
      assert.deepEqual((await admin.client.call('tenants.list', { query: { text: 'TPS' } })).items.map((t) => t.name), ['initech']);
    });

    it('a tenant member sees only its own tenant and cannot change it', async () => {
      const a = await admin.client.call('tenants.create', { body: { name: 'tenant-a' } });
      const b = await admin.client.call('tenants.create', { body: { name: 'tenant-b' } });
      const aAdmin = await createUser(srv, { tenant: 'tenant-a', role: 'admin' });
      const list = await aAdmin.client.call('tenants.list');
      assert.deepEqual(list.items.map((t) => t.id), [a.id]);
      assert.equal((await aAdmin.client.call('tenants.get', { params: { id: a.id } })).name, 'tenant-a');
      await fails(aAdmin.client.call('tenants.get', { params: { id: b.id } }), 404, 'NOT_FOUND');
      // tenant:admin is global-only: even an admin bound on the tenant cannot change its quotas.
      await fails(aAdmin.client.call('tenants.update', { params: { id: a.id }, body: { quotas: { vms: null } } }), 403, 'FORBIDDEN');
      await fails(aAdmin.client.call('tenants.create', { body: { name: 'mine' } }), 403, 'FORBIDDEN');
    });
  });
}
