import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD } from './helpers/constants';
import { uniqueEmail } from './helpers/api';
import { shot, signIn, signOut } from './helpers/ui';

test('an admin creates a tenant and a user in it; that user cannot see the first tenant', async ({ page }, info) => {
  const tenant = `acme-${Date.now().toString(36)}`;
  const email = uniqueEmail('acme-operator');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);

  await page.goto('/admin/tenants');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create a tenant' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(tenant);
  await dialog.getByRole('textbox', { name: 'Virtual machines', exact: true }).fill('5');
  await dialog.getByRole('button', { name: 'Create tenant' }).click();
  const card = page.getByRole('region', { name: `Tenant ${tenant}` });
  await expect(card).toBeVisible();
  await expect(card).toContainText('0 of 5');
  await shot(page, info, 'tenants');

  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'Create user' }).click();
  const create = page.getByRole('dialog', { name: 'Create a user' });
  await create.getByRole('textbox', { name: 'Name', exact: true }).fill('Acme Operator');
  await create.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await create.getByRole('combobox', { name: 'Home tenant', exact: true }).click();
  await page.getByRole('option', { name: tenant, exact: true }).click();
  await create.getByRole('combobox', { name: 'Role on that tenant', exact: true }).click();
  await page.getByRole('option', { name: 'operator (built-in)' }).click();
  await create.getByRole('textbox', { name: 'Initial password', exact: true }).fill(USER_PASSWORD);
  await create.getByRole('button', { name: 'Create user' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(email);
  await shot(page, info, 'users');
  await signOut(page);

  await signIn(page, email, USER_PASSWORD);
  await page.goto('/admin/users');
  const users = page.getByRole('table', { name: 'Users' });
  await expect(users).toContainText(email);
  await expect(users).not.toContainText(ADMIN_EMAIL);
  await page.goto('/admin/tenants');
  await expect(page.getByRole('region', { name: `Tenant ${tenant}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Tenant default' })).toHaveCount(0);
  // Administration actions they lack are disabled with the reason.
  const createTenant = page.getByRole('button', { name: 'Create tenant' });
  await expect(createTenant).toHaveAttribute('aria-disabled', 'true');
  await createTenant.hover();
  await expect(page.getByRole('tooltip')).toContainText('You need the tenant:admin permission');
  // Settings and audit are not in their navigation.
  await expect(page.getByRole('link', { name: 'Settings', exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Audit log', exact: true })).toHaveCount(0);
});
