import { expect, test, type Page } from '@playwright/test';
import type { NovaCronClient } from '@novacron/client';
import { startGuestServer, type GuestServer } from './helpers/guest-server';
import type { SpawnedServer } from './helpers/spawn-server';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { shot, signIn } from './helpers/ui';

// The serial (xterm.js) and graphical (noVNC) consoles of a real QEMU guest: a control plane with its embedded agent
// boots the tiny test guest from tests/guest, whose serial console runs a shell.
let guests: GuestServer;
let server: SpawnedServer;
let admin: NovaCronClient;
let vmId: string;

test.describe.configure({ mode: 'serial', timeout: 600_000 });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  guests = await startGuestServer();
  ({ server, admin } = guests);
  const imageId = await guests.importTinyDisk();
  const op = await admin.call('vms.create', {
    body: { name: 'console-guest', vcpus: 1, memoryMiB: 128, disks: [{ image: imageId }], networks: [{ network: 'default' }], start: true },
  });
  const created = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 180 } });
  expect(created.status, JSON.stringify(created.error)).toBe('succeeded');
  vmId = (created.result as { vmId: string }).vmId;
});

test.afterAll(async () => {
  await guests?.stop();
});

async function openVm(page: Page, state: string) {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, `${server.url}/login`);
  await page.goto(`${server.url}/vms/${vmId}`);
  await expect(page.getByLabel(/^State: /)).toHaveText(state, { timeout: 180_000 });
}

test('serial console: guest output in xterm.js, a command typed in it runs in the guest; graphical console connects through noVNC', async ({ page }, info) => {
  await openVm(page, 'running');

  await page.getByRole('tab', { name: 'Serial console' }).click();
  const status = page.getByLabel('Serial console status');
  await expect(status).toHaveText('Connected', { timeout: 60_000 });
  // What xterm.js rendered (DOM renderer): the guest's boot line, replayed by the agent or printed live.
  const screen = page.getByRole('region', { name: 'Serial terminal' }).locator('.xterm-rows');
  await expect(screen).toContainText('NOVACRON-GUEST-READY', { timeout: 180_000 });
  // The shell starts just after that line; keys typed before its prompt can be lost to the line discipline.
  await expect(screen).toContainText(/\/ #/, { timeout: 60_000 });

  // Keystrokes go to the guest's shell and its answer comes back: only the shell can turn $((6*7)) into 42.
  await page.getByRole('region', { name: 'Serial terminal' }).click();
  await page.keyboard.type('echo NC-$((6*7))');
  await page.keyboard.press('Enter');
  await expect(screen).toContainText('NC-42', { timeout: 30_000 });
  await shot(page, info, 'vm-serial-console');

  // The dark theme recolours the open terminal without reconnecting.
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(screen).toHaveCSS('color', 'rgb(217, 218, 220)');
  await expect(status).toHaveText('Connected');
  await shot(page, info, 'vm-serial-console-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // Reconnect takes a fresh ticket (tickets are single use) and the shell still answers.
  await page.getByRole('button', { name: 'Reconnect the serial console' }).click();
  await expect(status).toHaveText('Connected', { timeout: 60_000 });
  await page.getByRole('region', { name: 'Serial terminal' }).click();
  await page.keyboard.type('echo NC-$((6*8))');
  await page.keyboard.press('Enter');
  await expect(screen).toContainText('NC-48', { timeout: 30_000 });

  await page.getByRole('tab', { name: 'Graphical console' }).click();
  await expect(page.getByLabel('Graphical console status')).toHaveText(/^Connected/, { timeout: 60_000 });
  const canvas = page.getByRole('region', { name: 'Graphical console screen' }).locator('canvas');
  await expect(canvas).toBeVisible();
  // The framebuffer size comes from QEMU's ServerInit: a canvas sized to it means the RFB handshake went through.
  const size = await canvas.evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height, shown: c.getBoundingClientRect().width }));
  expect(size.width).toBeGreaterThan(0);
  expect(size.height).toBeGreaterThan(0);
  expect(size.shown).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Send Ctrl+Alt+Del' })).toBeEnabled();
  await shot(page, info, 'vm-graphical-console');
});

test('a refused ticket shows the problem detail; a stopped VM says so instead of connecting', async ({ page }, info) => {
  await openVm(page, 'running');
  await page.getByRole('tab', { name: 'Serial console' }).click();
  await expect(page.getByLabel('Serial console status')).toHaveText('Connected', { timeout: 60_000 });

  // The server refuses tickets for a VM being created or deleted; the page shows its problem+json detail.
  await page.route('**/console-tickets', (route) =>
    route.fulfill({
      status: 409,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, code: 'INVALID_STATE', detail: 'VM console-guest is being deleted' }),
    }),
  );
  await page.getByRole('button', { name: 'Reconnect the serial console' }).click();
  await expect(page.getByRole('alert')).toContainText('VM console-guest is being deleted');
  await expect(page.getByLabel('Serial console status')).toHaveText('Not connected');
  await page.unroute('**/console-tickets');

  const stop = await admin.call('vms.stop', { params: { id: vmId } });
  await admin.call('operations.wait', { params: { id: stop.id }, query: { timeout: 60 } });
  await expect(page.getByLabel(/^State: /)).toHaveText('stopped', { timeout: 60_000 });
  await expect(page.getByText('The VM is stopped')).toBeVisible();
  await page.getByRole('tab', { name: 'Graphical console' }).click();
  await expect(page.getByText('The VM is stopped')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Graphical console screen' })).toHaveCount(0);
  await shot(page, info, 'vm-console-stopped');
});
