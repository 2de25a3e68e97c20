import { expect, test, type Page } from '@playwright/test';
import type { NovaCronClient } from '@novacron/client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { startGuestServer, type GuestServer } from './helpers/guest-server';
import type { SpawnedServer } from './helpers/spawn-server';
import { shot, signIn } from './helpers/ui';

// A control plane with its embedded agent (real volumes through qemu-img on this host). Most VMs stay stopped: disks, NICs,
// labels, templates and clones of a stopped VM are spec changes and volume work on the node, no guest boot needed.
// The last test boots the tiny guest (tests/guest) for the live hot-plug path, which needs a guest to eject devices.
let guests: GuestServer;
let server: SpawnedServer;
let admin: NovaCronClient;
let srcId: string;

test.describe.configure({ mode: 'serial', timeout: 300_000 });
// A control that never appears should fail its step quickly, not run out the whole test's time.
test.use({ actionTimeout: 30_000 });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  guests = await startGuestServer();
  ({ server, admin } = guests);
  const op = await admin.call('vms.create', { body: { name: 'hw-src', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }], networks: [{ network: 'default' }], start: false } });
  const done = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 120 } });
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  srcId = (done.result as { vmId: string }).vmId;
});

test.afterAll(async () => {
  await guests?.stop();
});

async function openVm(page: Page, id: string, state = 'stopped') {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD, `${server.url}/login`);
  await page.goto(`${server.url}/vms/${id}`);
  await expect(page.getByLabel(`State: ${state}`)).toBeVisible();
}

const getVm = (id: string) => admin.call('vms.get', { params: { id } });

test('add a disk and a NIC to a stopped VM, see them in the tables and the API, then remove them', async ({ page }, info) => {
  await openVm(page, srcId);
  const disks = page.getByRole('table', { name: 'Disks' });
  const nics = page.getByRole('table', { name: 'Network interfaces' });
  await expect(disks.getByRole('row')).toHaveCount(2);

  await page.getByRole('button', { name: 'Add disk', exact: true }).click();
  const diskDialog = page.getByRole('dialog', { name: 'Add a disk to hw-src' });
  await diskDialog.getByRole('textbox', { name: 'Size (GiB)' }).fill('2');
  await diskDialog.getByRole('button', { name: 'Add disk' }).click();
  await expect(diskDialog).toBeHidden();
  await expect(disks.getByRole('row')).toHaveCount(3, { timeout: 60_000 });
  await expect(disks).toContainText('2 GiB');
  const added = (await getVm(srcId)).disks.find((d) => d.sizeGiB === 2);
  expect(added, 'the API has the new disk').toBeTruthy();
  const volumeName = (await admin.call('volumes.get', { params: { id: added!.volumeId! } })).name;

  await page.getByRole('button', { name: 'Add NIC', exact: true }).click();
  const nicDialog = page.getByRole('dialog', { name: 'Add a NIC to hw-src' });
  await nicDialog.getByRole('combobox', { name: 'Model' }).click();
  await page.getByRole('option', { name: 'e1000' }).click();
  await nicDialog.getByRole('button', { name: 'Add NIC' }).click();
  await expect(nicDialog).toBeHidden();
  await expect(nics.getByRole('row')).toHaveCount(3, { timeout: 60_000 });
  await expect(nics).toContainText('e1000');
  const nic = (await getVm(srcId)).networks.find((n) => n.model === 'e1000');
  expect(nic, 'the API has the new NIC').toBeTruthy();
  await expect(page.getByLabel('Add NIC: succeeded')).toBeVisible();
  await shot(page, info, 'vm-hardware-added');

  await page.getByRole('button', { name: `Detach disk ${volumeName}` }).click();
  await page.getByRole('dialog', { name: 'Detach disk' }).getByRole('button', { name: 'Detach' }).click();
  await expect(disks.getByRole('row')).toHaveCount(2, { timeout: 60_000 });
  await expect(disks).not.toContainText('2 GiB');
  await page.getByRole('button', { name: `Remove NIC ${nic!.mac}` }).click();
  await page.getByRole('dialog', { name: 'Remove NIC' }).getByRole('button', { name: 'Remove' }).click();
  await expect(nics.getByRole('row')).toHaveCount(2, { timeout: 60_000 });
  const after = await getVm(srcId);
  expect(after.disks.map((d) => d.sizeGiB)).toEqual([1]);
  expect(after.networks.map((n) => n.model)).toEqual(['virtio-net-pci']);
  // The detached volume is kept, free for another VM.
  expect((await admin.call('volumes.get', { params: { id: added!.volumeId! } })).state).toBe('available');
  await shot(page, info, 'vm-hardware-removed');
});

test('edit labels in the configuration dialog and see them as badges', async ({ page }, info) => {
  await openVm(page, srcId);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Configure hw-src' });
  await dialog.getByRole('button', { name: 'Add label' }).click();
  await dialog.getByRole('textbox', { name: 'Label 1 key' }).fill('env');
  await dialog.getByRole('textbox', { name: 'Label 1 value' }).fill('test');
  await dialog.getByRole('button', { name: 'Add label' }).click();
  await dialog.getByRole('textbox', { name: 'Label 2 key' }).fill('bad key!');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Label keys are');
  await dialog.getByRole('textbox', { name: 'Label 2 key' }).fill('team');
  await dialog.getByRole('textbox', { name: 'Label 2 value' }).fill('infra');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Label env', { exact: true })).toHaveText('env=test');
  await expect(page.getByLabel('Label team', { exact: true })).toHaveText('team=infra');
  expect((await getVm(srcId)).labels).toEqual({ env: 'test', team: 'infra' });
  await shot(page, info, 'vm-labels');

  // Removing one in the dialog removes it from the VM.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await dialog.getByRole('button', { name: 'Remove label team' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Label team', { exact: true })).toBeHidden();
  expect((await getVm(srcId)).labels).toEqual({ env: 'test' });
});

test('clone the stopped VM (linked) through the dialog: a taken name is refused, then the new VM opens', async ({ page }, info) => {
  await openVm(page, srcId);
  await page.getByLabel('VM actions').getByRole('button', { name: 'Clone', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Clone hw-src' });
  await dialog.getByRole('textbox', { name: 'Name of the new VM' }).fill('hw-src');
  await dialog.getByText('Linked clone', { exact: true }).click();
  await dialog.getByRole('button', { name: 'Clone', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('ALREADY_EXISTS');
  await dialog.getByRole('textbox', { name: 'Name of the new VM' }).fill('hw-clone');
  await dialog.getByRole('button', { name: 'Clone', exact: true }).click();
  await expect(page).toHaveURL(/\/vms\/(?!new$)[A-Za-z0-9_-]+$/, { timeout: 120_000 });
  await expect.poll(() => page.url(), { timeout: 120_000 }).not.toContain(srcId);
  await expect(page.getByRole('heading', { name: 'hw-clone' })).toBeVisible();
  await expect(page.getByLabel('Label env', { exact: true })).toHaveText('env=test');
  const cloneId = page.url().split('/').pop()!;
  const listed = await admin.call('vms.list', { query: { text: 'hw-clone' } });
  expect(listed.items.map((v) => [v.id, v.name])).toEqual([[cloneId, 'hw-clone']]);
  const clone = await getVm(cloneId);
  const src = await getVm(srcId);
  expect(clone.disks.map((d) => d.format)).toEqual(['qcow2']);
  expect(clone.disks[0].volumeId).not.toBe(src.disks[0].volumeId);
  expect(clone.networks[0].mac).not.toBe(src.networks[0].mac);
  await shot(page, info, 'vm-cloned');
});

test('mark as template: Start is disabled with the reason; a VM is made from it in the create wizard; unmark', async ({ page }, info) => {
  await openVm(page, srcId);
  const actions = page.getByLabel('VM actions');
  await actions.getByRole('button', { name: 'Mark as template' }).click();
  await expect(page.getByText('template', { exact: true })).toBeVisible();
  const start = actions.getByRole('button', { name: 'Start', exact: true });
  await expect(start).toHaveAttribute('aria-disabled', 'true');
  await expect(start).toHaveAttribute('title', 'A template cannot be started: clone it to run it.');
  await expect(actions.getByRole('button', { name: 'New VM from template' })).toBeVisible();
  expect((await getVm(srcId)).isTemplate).toBe(true);
  await shot(page, info, 'vm-template');

  await page.goto(`${server.url}/vms/new`);
  const card = page.getByRole('region', { name: 'From a template' });
  await card.getByRole('combobox', { name: 'Template' }).click();
  await page.getByRole('option', { name: 'hw-src' }).click();
  await card.getByRole('button', { name: 'New VM from template' }).click();
  const dialog = page.getByRole('dialog', { name: 'New VM from template hw-src' });
  await dialog.getByRole('textbox', { name: 'Name of the new VM' }).fill('hw-from-template');
  await dialog.getByRole('button', { name: 'Clone', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'hw-from-template' })).toBeVisible({ timeout: 120_000 });
  const made = await admin.call('vms.list', { query: { text: 'hw-from-template' } });
  expect(made.items.map((v) => [v.name, v.isTemplate])).toEqual([['hw-from-template', false]]);
  await shot(page, info, 'vm-from-template');

  // The list filters templates.
  await page.getByRole('navigation').getByRole('link', { name: 'Virtual machines', exact: true }).click();
  await page.getByRole('combobox', { name: 'Templates' }).click();
  await page.getByRole('option', { name: 'Only templates' }).click();
  const list = page.getByRole('table', { name: 'Virtual machines' });
  await expect(list.getByRole('row')).toHaveCount(2);
  await expect(list).toContainText('hw-src');

  await page.goto(`${server.url}/vms/${srcId}`);
  await page.getByLabel('VM actions').getByRole('button', { name: 'Unmark template' }).click();
  await expect(page.getByLabel('VM actions').getByRole('button', { name: 'Start', exact: true })).not.toHaveAttribute('aria-disabled', 'true');
  expect((await getVm(srcId)).isTemplate).toBe(false);
});

test('a viewer sees the VM but the hardware, clone, template and edit controls say they need vm:write', async ({ page }) => {
  const vm = await getVm(srcId);
  const email = `viewer-${Date.now().toString(36)}@novacron.test`;
  await admin.call('users.create', { body: { email, name: 'Viewer', tenantId: vm.tenantId, password: ADMIN_PASSWORD, roles: [{ role: 'viewer', tenantId: vm.tenantId }] } });
  await page.goto(`${server.url}/login`);
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto(`${server.url}/vms/${srcId}`);
  await expect(page.getByLabel('State: stopped')).toBeVisible();
  const reason = 'You need the vm:write permission to do this.';
  for (const name of ['Clone', 'Mark as template', 'Add disk', 'Add NIC', 'Edit']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveAttribute('title', reason);
  }
  await expect(page.getByRole('button', { name: /^Detach disk / })).toHaveAttribute('title', reason);
});

test('on a running VM: clone and template say why not; a NIC and a disk are hot-plugged and unplugged through the dialogs', async ({ page }, info) => {
  test.setTimeout(600_000);
  const imageId = await guests.importTinyDisk();
  const op = await admin.call('vms.create', { body: { name: 'hw-live', vcpus: 1, memoryMiB: 128, disks: [{ image: imageId }], networks: [{ network: 'default' }], start: true } });
  const done = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 300 } });
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  const id = (done.result as { vmId: string }).vmId;
  // The guest ejects unplugged devices: wait until it has booted.
  await expect.poll(async () => (await admin.call('vms.serialLog', { params: { id } })).text, { timeout: 300_000, intervals: [2_000] }).toContain('NOVACRON-GUEST-BOOT');

  await openVm(page, id, 'running');
  const actions = page.getByLabel('VM actions');
  await expect(actions.getByRole('button', { name: 'Clone', exact: true })).toHaveAttribute('title', 'Stop the VM to clone it (it is running).');
  await expect(actions.getByRole('button', { name: 'Mark as template' })).toHaveAttribute('title', 'Stop the VM to make it a template (it is running).');

  const nics = page.getByRole('table', { name: 'Network interfaces' });
  await page.getByRole('button', { name: 'Add NIC', exact: true }).click();
  const nicDialog = page.getByRole('dialog', { name: 'Add a NIC to hw-live' });
  await expect(nicDialog).toContainText('hot-plugged');
  await nicDialog.getByRole('combobox', { name: 'Model' }).click();
  await expect(page.getByRole('option', { name: 'e1000' })).toHaveAttribute('aria-disabled', 'true');
  await page.keyboard.press('Escape');
  await nicDialog.getByRole('button', { name: 'Add NIC' }).click();
  await expect(page.getByLabel('Add NIC: succeeded')).toBeVisible({ timeout: 120_000 });
  await expect(nics.getByRole('row')).toHaveCount(3);
  const hot = (await getVm(id)).networks[1];
  expect(hot.model).toBe('virtio-net-pci');

  const disks = page.getByRole('table', { name: 'Disks' });
  await page.getByRole('button', { name: 'Add disk', exact: true }).click();
  const diskDialog = page.getByRole('dialog', { name: 'Add a disk to hw-live' });
  await diskDialog.getByRole('textbox', { name: 'Size (GiB)' }).fill('1');
  await diskDialog.getByRole('button', { name: 'Add disk' }).click();
  await expect(page.getByLabel('Add disk: succeeded')).toBeVisible({ timeout: 120_000 });
  await expect(disks.getByRole('row')).toHaveCount(3);
  const added = (await getVm(id)).disks[1];
  const volumeName = (await admin.call('volumes.get', { params: { id: added.volumeId! } })).name;
  await shot(page, info, 'vm-hardware-live');

  await page.getByRole('button', { name: `Remove NIC ${hot.mac}` }).click();
  await page.getByRole('dialog', { name: 'Remove NIC' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByLabel('Remove NIC: succeeded')).toBeVisible({ timeout: 120_000 });
  await expect(nics.getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: `Detach disk ${volumeName}` }).click();
  await page.getByRole('dialog', { name: 'Detach disk' }).getByRole('button', { name: 'Detach' }).click();
  await expect.poll(async () => {
    const op = (await admin.call('operations.list', { query: { resource: `/api/v1/vms/${id}`, limit: 10 } })).items.find((o) => o.kind === 'vm.disk.detach');
    return op ? `${op.status}${op.error ? `: ${op.error.code} ${op.error.message}` : ''}` : 'none';
  }, { timeout: 120_000 }).toMatch(/^(succeeded|failed)/);
  await expect(page.getByLabel('Detach disk: succeeded')).toBeVisible({ timeout: 120_000 });
  await expect(disks.getByRole('row')).toHaveCount(2);
  const after = await getVm(id);
  expect([after.state, after.disks.length, after.networks.length]).toEqual(['running', 1, 1]);
});
