import { expect, test } from '@playwright/test';
import type { NovaCronClient } from '@novacron/client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { startGuestServer, type GuestServer } from './helpers/guest-server';
import type { SpawnedServer } from './helpers/spawn-server';
import { shot, signIn } from './helpers/ui';

// A control plane with its embedded agent and real QEMU (TCG here), booting the tiny test guest from tests/guest.
let guests: GuestServer;
let server: SpawnedServer;
let admin: NovaCronClient;

test.describe.configure({ timeout: 600_000 });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  guests = await startGuestServer();
  ({ server, admin } = guests);
  await guests.importTinyDisk();
});

test.afterAll(async () => {
  await guests?.stop();
});

test('create a VM in the wizard, see it boot, stop it through the API and start it from the list', async ({ page }, info) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, `${server.url}/login`);

  await page.goto(`${server.url}/vms/new`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('e2e-guest');
  await page.getByRole('textbox', { name: 'Memory (MiB)', exact: true }).fill('128');
  await page.getByRole('combobox', { name: 'Disk image', exact: true }).click();
  await page.getByRole('option', { name: 'tiny-disk' }).click();
  await page.getByRole('textbox', { name: /Disk size/ }).fill('');
  await page.getByRole('button', { name: 'Create VM' }).click();

  await expect(page).toHaveURL(/\/vms\/(?!new$)[A-Za-z0-9_-]+$/, { timeout: 60_000 });
  const vmId = page.url().split('/').pop()!;
  const badge = page.getByLabel(/^State: /);
  await expect(badge).toHaveText('running', { timeout: 180_000 });
  await shot(page, info, 'vm-detail');

  await page.getByRole('tab', { name: 'Serial log' }).click();
  await expect(async () => {
    await page.getByRole('tab', { name: 'Operations' }).click();
    await page.getByRole('tab', { name: 'Serial log' }).click();
    await expect(page.getByLabel('Serial output')).toContainText('NOVACRON-GUEST-BOOT', { timeout: 2_000 });
  }).toPass({ timeout: 180_000 });
  await shot(page, info, 'vm-serial-log');

  // An action taken elsewhere (the API, as the CLI would) shows on the open page without a reload.
  await page.getByRole('tab', { name: 'Overview' }).click();
  const stop = await admin.call('vms.stop', { params: { id: vmId } });
  await admin.call('operations.wait', { params: { id: stop.id }, query: { timeout: 60 } });
  await expect(badge).toHaveText('stopped', { timeout: 60_000 });

  // Start it again from the list with a bulk action.
  await page.getByRole('navigation').getByRole('link', { name: 'Virtual machines', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Select e2e-guest' }).check();
  await page.getByLabel('Bulk actions').getByRole('button', { name: 'Start' }).click();
  await expect(page.getByLabel('State of e2e-guest: running')).toBeVisible({ timeout: 180_000 });
  await shot(page, info, 'vms-list-running');
});

// Runs after the test above, on the VM it created and started.
test('take a snapshot of the running VM and revert to it', async ({ page }, info) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, `${server.url}/login`);
  await page.goto(`${server.url}/vms`);
  await page.getByRole('link', { name: 'e2e-guest' }).click();
  const vmId = page.url().split('/').pop()!;
  await page.getByRole('tab', { name: 'Snapshots' }).click();
  await page.getByRole('textbox', { name: 'Snapshot name', exact: true }).fill('snap1');
  await page.getByRole('button', { name: 'Take snapshot' }).click();
  await expect.poll(async () => {
    const ops = await admin.call('operations.list', { query: { resource: `/api/v1/vms/${vmId}`, limit: 10 } });
    const op = ops.items.find((o) => o.kind === 'vm.snapshot.create');
    return op ? `${op.status}${op.error ? `: ${op.error.code} ${op.error.message}` : ''}` : 'none';
  }, { timeout: 120_000 }).toMatch(/^(succeeded|failed)/);
  const snapOp = (await admin.call('operations.list', { query: { resource: `/api/v1/vms/${vmId}`, limit: 10 } })).items.find((o) => o.kind === 'vm.snapshot.create')!;
  expect(snapOp.status, JSON.stringify(snapOp.error)).toBe('succeeded');
  await expect(page.getByRole('table', { name: 'Snapshots' })).toContainText('snap1', { timeout: 120_000 });
  // A disk-only snapshot is reverted on a stopped VM (the server says so otherwise): stop it from its page first.
  await page.getByLabel('VM actions').getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByLabel(/^State: /)).toHaveText('stopped', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Revert to snap1' }).click();
  await page.getByRole('dialog', { name: 'Revert to snapshot' }).getByRole('button', { name: 'Revert' }).click();
  await expect(page.getByRole('dialog', { name: 'Revert to snapshot' })).toBeHidden({ timeout: 60_000 });
  await page.getByRole('tab', { name: 'Operations' }).click();
  await expect(page.getByRole('table', { name: 'Operations of this VM' })).toContainText('vm.snapshot.revert');
  await shot(page, info, 'vm-operations');
});

test('grow a running VM live from its configuration dialog, within the hotplug maxima it started with', async ({ page }, info) => {
  const image = (await admin.call('images.list', { query: { text: 'tiny-disk' } })).items[0];
  const op = await admin.call('vms.create', {
    body: {
      name: 'grow-guest', vcpus: 1, maxVcpus: 2, memoryMiB: 256, maxMemoryMiB: 512,
      disks: [{ image: image.id }], networks: [{ network: 'default' }], start: true,
    },
  });
  const done = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 120 } });
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  const vmId = op.resources[0].split('/').pop()!;
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, `${server.url}/login`);
  await page.goto(`${server.url}/vms/${vmId}`);
  await expect(page.getByLabel(/^State: /)).toHaveText('running', { timeout: 120_000 });
  const config = page.getByRole('table', { name: 'Configuration' });
  await expect(config).toContainText('1 (up to 2 live)');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Configure grow-guest' });
  await dialog.getByRole('textbox', { name: 'vCPUs', exact: true }).fill('2');
  await dialog.getByRole('textbox', { name: 'Memory (MiB)', exact: true }).fill('384');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  await expect(config).toContainText('2 (up to 2 live)');
  await expect(config).toContainText('384 MiB (up to 512 MiB live)');
  await expect(page.getByText('Configuration changes apply at the next start.')).toHaveCount(0);
  expect((await admin.call('vms.get', { params: { id: vmId } })).pendingRestart).toBe(false);
  await shot(page, info, 'vm-live-resize');
});
