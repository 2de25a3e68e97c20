import { expect, test } from '@playwright/test';
import { adminApi, createUser } from './helpers/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { shot, signIn } from './helpers/ui';

test('every main page renders from the API, with labelled controls (screenshots kept)', async ({ page }, info) => {
  // Many pages and full-page screenshots: on a shared two-core box this takes minutes.
  test.setTimeout(360_000);
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByText('Live', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Users: \d+/ })).toBeVisible();
  await shot(page, info, 'overview');

  for (const [link, heading, name] of [
    ['Virtual machines', 'Virtual machines', 'vms-list'],
    ['Nodes', 'Nodes', 'nodes-list'],
    ['Images', 'Images', 'images-list'],
    ['Storage and networks', 'Storage and networks', 'storage-networks'],
    ['Operations', 'Operations', 'operations'],
    ['Users', 'Users', 'users-admin'],
    ['Roles', 'Roles', 'roles'],
    ['Tenants', 'Tenants', 'tenants-admin'],
    ['Audit log', 'Audit log', 'audit-log'],
    ['Settings', 'Settings', 'settings-page'],
    ['Account', 'Account', 'account'],
  ] as const) {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await shot(page, info, name);
  }
  // Built-in roles are read-only in the permission matrix.
  await page.goto('/admin/roles');
  await expect(page.getByRole('checkbox', { name: 'admin: vm:read' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'admin: vm:read' })).toBeDisabled();

  for (const tab of ['Password', 'Two-factor authentication', 'Sessions', 'API tokens']) {
    await page.goto('/account');
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tabpanel')).toBeVisible();
  }
  await shot(page, info, 'account-tokens');

  // Dark theme, and a narrow screen with the navigation behind a burger.
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Users', exact: true })).toBeVisible();
  await shot(page, info, 'users-narrow-dark');
});

test('a custom role is edited in the permission matrix', async ({ page }) => {
  const name = `ops-${Date.now().toString(36)}`;
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/roles');
  await page.getByRole('button', { name: 'Create role' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a role' });
  await dialog.getByRole('textbox', { name: 'Role name', exact: true }).fill(name);
  await dialog.getByRole('button', { name: 'Create role' }).click();
  const box = page.getByRole('checkbox', { name: `${name}: vm:power` });
  await expect(box).not.toBeChecked();
  await box.check();
  await page.getByRole('button', { name: `Save role ${name}` }).click();
  await expect(page.getByText(`Saved role ${name}`)).toBeVisible();
  const admin = await adminApi();
  const roles = await admin.call('roles.list', { query: { limit: 1000 } });
  expect(roles.items.find((r) => r.name === name)?.permissions).toEqual(['vm:power']);
});

test('an API token is created, shown once, and works', async ({ page }) => {
  const u = await createUser({ role: 'operator' });
  await signIn(page, u.email, u.password);
  await page.goto('/account?tab=tokens');
  await page.getByRole('button', { name: 'Create API token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an API token' });
  await dialog.getByRole('textbox', { name: 'Token name', exact: true }).fill('backup script');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const secret = (await dialog.getByLabel('New API token').textContent())!.trim();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('table', { name: 'API tokens' })).toContainText('backup script');
  const res = await page.request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${secret}` } });
  expect(res.status()).toBe(200);
  expect((await res.json()).via).toBe('token');
});
