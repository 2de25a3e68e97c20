import { expect, test, type Page } from '@playwright/test';
import { NovaCronClient } from '@novacron/client';
import { spawnServer, type SpawnedServer } from './helpers/spawn-server';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { shot } from './helpers/ui';

// A control plane with its embedded agent (real volumes through qemu-img on this host). The VMs stay stopped: disks, NICs,
// labels, templates and clones of a stopped VM are spec changes and volume work on the node, no guest boot needed.
let server: SpawnedServer;
let admin: NovaCronClient;
let srcId: string;

test.describe.configure({ mode: 'serial', timeout: 300_000 });
// A control that never appears should fail its step quickly, not run out the whole test's time.
test.use({ actionTimeout: 30_000 });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  server = await spawnServer({ env: { NOVACRON_ADMIN_EMAIL: ADMIN_EMAIL, NOVACRON_ADMIN_PASSWORD: ADMIN_PASSWORD, NOVACRON_EMBEDDED_AGENT: 'true' } });
  const login = await new NovaCronClient({ baseUrl: server.url }).call('auth.login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  admin = new NovaCronClient({ baseUrl: server.url, token: login.accessToken });
  await expect.poll(async () => (await admin.call('nodes.list', { query: { state: 'online' } })).items.length, { timeout: 60_000 }).toBe(1);
  const op = await admin.call('vms.create', { body: { name: 'hw-src', vcpus: 1, memoryMiB: 64, disks: [{ sizeGiB: 1 }], networks: [{ network: 'default' }], start: false } });
  const done = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 120 } });
  expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  srcId = (done.result as { vmId: string }).vmId;
});

test.afterAll(async () => {
  if (admin) {
    // Newest first: linked clones go before the VM whose disk backs them.
    const vms = await admin.call('vms.list', { query: { limit: 100 } }).catch(() => ({ items: [] }));
    for (const vm of vms.items) {
      if (vm.isTemplate) await admin.call('vms.update', { params: { id: vm.id }, body: { isTemplate: false } }).catch(() => null);
      const op = await admin.call('vms.delete', { params: { id: vm.id } }).catch(() => null);
      if (op) await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 60 } }).catch(() => null);
    }
  }
  await server?.stop();
});

async function openVm(page: Page, id: string) {
  await page.goto(`${server.url}/login`);
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(ADMIN_EMAIL);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto(`${server.url}/vms/${id}`);
  await expect(page.getByLabel('State: stopped')).toBeVisible();
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

  await page.goto(`${server.url}/vms/${srcId}`);
  await page.getByLabel('VM actions').getByRole('button', { name: 'Unmark template' }).click();
  await expect(page.getByLabel('VM actions').getByRole('button', { name: 'Start', exact: true })).not.toHaveAttribute('aria-disabled', 'true');
  expect((await getVm(srcId)).isTemplate).toBe(false);
});
