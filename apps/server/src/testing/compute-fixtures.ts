// Helpers for tests that need compute resources: a fake node agent joined to a test server, and VMs, volumes, images and
// networks made through the real API. For tests only.
import type { NovaCronClient } from '@novacron/client';
import { FakeAgent } from './fake-agent';
import type { TestServer } from './test-server';

const agents = new WeakMap<TestServer, Promise<FakeAgent>>();
let n = 0;

/** Joins a fake agent to the server (once per server) so VMs can be placed; it stays connected until the server closes. */
export function ensureFakeAgent(srv: TestServer): Promise<FakeAgent> {
  let agent = agents.get(srv);
  if (!agent) {
    agent = (async () => {
      const { token } = await srv.services.compute.nodes.createJoinToken({ ttlSeconds: 600, description: 'test', createdBy: null });
      return new FakeAgent({ serverUrl: srv.url, joinToken: token }).connect();
    })();
    agents.set(srv, agent);
  }
  return agent;
}

/** Waits for an operation and fails the test unless it succeeded; answers its result. */
export async function settle(client: NovaCronClient, opId: string): Promise<Record<string, unknown>> {
  const op = await client.call('operations.wait', { params: { id: opId }, query: { timeout: 30 } });
  if (op.status !== 'succeeded') throw new Error(`operation ${op.kind} ${op.status}: ${op.error?.code} ${op.error?.message}`);
  return op.result ?? {};
}

/** A stopped VM with one 1 GiB disk and one NIC in `tenantId`, made through the API. */
export async function createTestVm(srv: TestServer, client: NovaCronClient, tenantId: string, extra: { start?: boolean; name?: string } = {}) {
  await ensureFakeAgent(srv);
  const op = await client.call('vms.create', {
    body: { name: extra.name ?? `vm-${++n}`, tenant: tenantId, vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }], networks: [{ network: 'default' }], start: extra.start ?? false },
  });
  const { vmId } = (await settle(client, op.id)) as { vmId: string };
  return client.call('vms.get', { params: { id: vmId } });
}

/** A 1 GiB volume in `tenantId`. */
export async function createTestVolume(srv: TestServer, client: NovaCronClient, tenantId: string): Promise<string> {
  await ensureFakeAgent(srv);
  const op = await client.call('volumes.create', { body: { name: `vol-${++n}`, sizeGiB: 1, tenant: tenantId } });
  return (await settle(client, op.id)).volumeId as string;
}

/** A ready kernel image in `tenantId` (imported from a URL the fake agent pretends to fetch). */
export async function createTestImage(srv: TestServer, client: NovaCronClient, tenantId: string, kind: 'kernel' | 'initrd' | 'disk' | 'iso' = 'kernel'): Promise<string> {
  await ensureFakeAgent(srv);
  const op = await client.call('images.create', { body: { name: `img-${++n}`, kind, source: { url: 'http://images.invalid/vmlinuz' }, tenant: tenantId } });
  return (await settle(client, op.id)).imageId as string;
}

/** A network owned by `tenantId`. */
export async function createTestNetwork(client: NovaCronClient, tenantId: string): Promise<string> {
  return (await client.call('networks.create', { body: { name: `net-${++n}`, tenant: tenantId } })).id;
}
