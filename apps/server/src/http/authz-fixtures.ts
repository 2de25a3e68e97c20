import { createTestImage, createTestNetwork, createTestVm, createTestVolume } from '../testing/compute-fixtures';
import type { TestServer } from '../testing/test-server';
import type { TestUser } from '../testing/test-users';

/** What a fixture may use: the server, a global admin and the tenant the resource must belong to. */
export interface MatrixContext {
  srv: TestServer;
  /** A global admin. */
  admin: TestUser;
  /** The tenant that owns the fixture's resources. */
  tenantId: string;
  /** Bearer token of a user holding the built-in admin role on that tenant only (`srv.client(token)`). */
  tenantAdminToken: string;
}

/** Creates a real resource of one family in `ctx.tenantId` and answers the path parameters that name it (`{ id, ... }`). */
export type Fixture = (ctx: MatrixContext) => Promise<Record<string, string>>;

let n = 0;

/**
 * One fixture per tenant-scoped resource family, keyed by the first path segment after `/api/v1/` (`vms`, `volumes`, ...).
 * The authorization matrix (`authz-matrix.it.test.ts`) calls it for every route with an `{id}` on a tenant-scoped resource
 * and checks that a user of another tenant gets 404. A new family needs one entry here, or the matrix fails.
 * Parameters a fixture does not answer (e.g. `snapshotId`) are filled with a valid random id.
 */
export const tenantFixtures: Record<string, Fixture> = {
  users: async ({ admin, tenantId }) => {
    const user = await admin.client.call('users.create', { body: { email: `matrix-${++n}-${process.pid}@example.com`, name: 'Matrix', tenantId } });
    return { id: user.id };
  },
  groups: async ({ admin, tenantId }) => {
    // A group of the tenant with a member, so member routes name a real member (`userId`).
    const group = await admin.client.call('groups.create', { body: { name: `matrix-${++n}`, tenantId } });
    const user = await admin.client.call('users.create', { body: { email: `matrix-${++n}-${process.pid}@example.com`, name: 'Matrix', tenantId } });
    await admin.client.call('groups.addMember', { params: { id: group.id, userId: user.id } });
    return { id: group.id, userId: user.id };
  },
  tenants: async ({ tenantId }) => ({ id: tenantId }),
  operations: async ({ srv, tenantId }) => {
    // A finished operation: reads answer at once (also `wait`), and nothing is left running.
    const op = await srv.services.operations.start({ kind: 'matrix.fixture', tenantId, resources: [], createdBy: null }, async () => undefined);
    await srv.services.operations.wait(op.id, 'all', 5000);
    return { id: op.id };
  },
  vms: async ({ srv, admin, tenantId }) => {
    const vm = await createTestVm(srv, admin.client, tenantId);
    return { id: vm.id, diskId: vm.disks[0].id, nicId: vm.networks[0].id };
  },
  volumes: async ({ srv, admin, tenantId }) => ({ id: await createTestVolume(srv, admin.client, tenantId) }),
  images: async ({ srv, admin, tenantId }) => ({ id: await createTestImage(srv, admin.client, tenantId) }),
  networks: async ({ admin, tenantId }) => ({ id: await createTestNetwork(admin.client, tenantId) }),
};
