import { expect, test } from '@playwright/test';
import { adminApi, createUser, ensureTenant } from './helpers/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { shot, signIn } from './helpers/ui';

test('the VM, node, image and storage pages show what the control plane has (no agent here: no nodes, no VMs)', async ({ page }, info) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Virtual machines', exact: true }).click();
  await expect(page.getByText('No virtual machines yet')).toBeVisible();
  await shot(page, info, 'vms');
  await page.getByRole('navigation').getByRole('link', { name: 'Nodes', exact: true }).click();
  await expect(page.getByText('No nodes yet')).toBeVisible();
  await page.getByRole('button', { name: 'Create join token' }).click();
  await expect(page.getByLabel('Join token', { exact: true })).toContainText(/\S{16,}/);
  await shot(page, info, 'nodes');
  await page.getByRole('navigation').getByRole('link', { name: 'Images', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Images', exact: true })).toBeVisible();
  await shot(page, info, 'images');
  await page.getByRole('navigation').getByRole('link', { name: 'Storage and networks', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Storage pools' })).toBeVisible();
  await shot(page, info, 'storage');
});

test('creating a VM beyond the tenant quota is refused with a clear message', async ({ page }, info) => {
  const admin = await adminApi();
  const tenant = `tiny-${Date.now().toString(36)}`;
  const tenantId = await ensureTenant(admin, tenant);
  await admin.call('tenants.update', { params: { id: tenantId }, body: { quotas: { vms: 0 } } });
  const u = await createUser({ tenant, role: 'operator' });
  await signIn(page, u.email, u.password);
  await page.goto('/vms/new');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('too-many');
  await page.getByText('Empty disk', { exact: true }).click();
  await page.getByRole('button', { name: 'Create VM' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Could not create the VM' });
  await expect(alert).toContainText('QUOTA_EXCEEDED');
  await shot(page, info, 'vm-create-quota');
});
