import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { adminApi, apiLogin, createUser, ensureTenant } from './helpers/api';
import { shot, signIn } from './helpers/ui';

test('an admin creates a group, binds a role to it and adds a user, who then holds the role', async ({ page }, info) => {
  const tenant = `grp-${Date.now().toString(36)}`;
  const tenantId = await ensureTenant(await adminApi(), tenant);
  const member = await createUser({ tenant, name: 'Group Member' });
  const group = `ops-${Date.now().toString(36)}`;
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);

  await page.getByRole('link', { name: 'Groups', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/groups$/);
  await page.getByRole('button', { name: 'Create group' }).click();
  const create = page.getByRole('dialog', { name: 'Create a group' });
  await create.getByRole('textbox', { name: 'Name', exact: true }).fill(group);
  await create.getByRole('textbox', { name: 'Description', exact: true }).fill('Operations team');
  await create.getByRole('combobox', { name: 'Tenant', exact: true }).click();
  await page.getByRole('option', { name: tenant, exact: true }).click();
  await create.getByRole('button', { name: 'Create group' }).click();
  await expect(create).toBeHidden();
  const row = page.getByRole('table', { name: 'Groups' }).getByRole('row').filter({ hasText: group });
  await expect(row).toContainText(tenant);

  await row.getByRole('button', { name: `Roles of ${group}` }).click();
  const roles = page.getByRole('dialog', { name: `Roles of group ${group}` });
  await roles.getByRole('combobox', { name: 'Role to add', exact: true }).click();
  await page.getByRole('option', { name: 'viewer (built-in)' }).click();
  await roles.getByRole('button', { name: 'Add role' }).click();
  await expect(roles.getByRole('table', { name: 'Group role bindings' })).toContainText(tenant);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(roles).toBeHidden();
  await expect(row).toContainText('viewer');

  await row.getByRole('button', { name: `Members of ${group}` }).click();
  const members = page.getByRole('dialog', { name: `Members of group ${group}` });
  await expect(members).toContainText('No members yet.');
  await members.getByRole('combobox', { name: 'User to add', exact: true }).fill(member.email);
  await page.getByRole('option', { name: `Group Member <${member.email}>` }).click();
  await members.getByRole('button', { name: 'Add member' }).click();
  await expect(members.getByRole('table', { name: 'Group members' })).toContainText(member.email);
  await shot(page, info, 'group-members');
  await members.getByRole('button', { name: 'Close' }).click();
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await shot(page, info, 'groups');

  // Through the group alone, the member now reads that tenant's VMs.
  const { result } = await apiLogin(member.email, member.password);
  expect(result.user.permissions.tenants[tenantId]).toContain('vm:read');
});
