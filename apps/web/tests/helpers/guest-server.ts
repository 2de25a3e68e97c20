// A control plane of its own with the embedded agent (real QEMU, TCG here) for the specs that boot the tiny test guest
// from tests/guest, with the administrator's API client and a teardown that leaves no VM or QEMU process behind.
import { expect } from '@playwright/test';
import { NovaCronClient } from '@novacron/client';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './constants';
import { spawnServer, type SpawnedServer } from './spawn-server';

/** Where tests/guest/build.sh puts the tiny guest. */
export const GUEST_DIR = fileURLToPath(new URL('../../../../tests/guest/out', import.meta.url));

/** A running guest server. */
export interface GuestServer {
  server: SpawnedServer;
  /** Signed in as the administrator. */
  admin: NovaCronClient;
  /** Imports tests/guest/out/disk.qcow2 as the disk image `tiny-disk`; answers its id. */
  importTinyDisk(): Promise<string>;
  /** Deletes every VM (templates unmarked first, newest first so linked clones go before their source), then stops. */
  stop(): Promise<void>;
}

/** Builds the guest if needed, starts the server with its agent and waits until the node is online. */
export async function startGuestServer(): Promise<GuestServer> {
  if (!existsSync(`${GUEST_DIR}/disk.qcow2`)) {
    const r = spawnSync('bash', [fileURLToPath(new URL('../../../../tests/guest/build.sh', import.meta.url))], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('tests/guest/build.sh failed');
  }
  const server = await spawnServer({
    env: { NOVACRON_ADMIN_EMAIL: ADMIN_EMAIL, NOVACRON_ADMIN_PASSWORD: ADMIN_PASSWORD, NOVACRON_EMBEDDED_AGENT: 'true', NOVACRON_IMPORT_DIRS: GUEST_DIR },
  });
  const login = await new NovaCronClient({ baseUrl: server.url }).call('auth.login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  const admin = new NovaCronClient({ baseUrl: server.url, token: login.accessToken });
  await expect.poll(async () => (await admin.call('nodes.list', { query: { state: 'online' } })).items.length, { timeout: 60_000 }).toBe(1);
  return {
    server,
    admin,
    async importTinyDisk() {
      const op = await admin.call('images.create', { body: { name: 'tiny-disk', kind: 'disk', source: { path: `${GUEST_DIR}/disk.qcow2` } } });
      const done = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 120 } });
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
      return (done.result as { imageId: string }).imageId;
    },
    async stop() {
      const pids: number[] = [];
      const vms = await admin.call('vms.list', { query: { limit: 100 } }).catch(() => ({ items: [] }));
      for (const vm of vms.items) {
        if (vm.pid) pids.push(vm.pid);
        if (vm.isTemplate) await admin.call('vms.update', { params: { id: vm.id }, body: { isTemplate: false } }).catch(() => null);
        const op = await admin.call('vms.delete', { params: { id: vm.id } }).catch(() => null);
        if (op) await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 60 } }).catch(() => null);
      }
      await server.stop();
      // QEMU outlives its agent by design; anything a failed delete left behind is ours to end, by pid.
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}
