import { expect, test } from '@playwright/test';
import { uniqueEmail } from './helpers/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD } from './helpers/constants';
import { shot, signIn } from './helpers/ui';

test('an invitation link registers a new account that can sign in', async ({ page, browser }, info) => {
  const email = uniqueEmail('invited');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'Invite user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a user' });
  await dialog.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  const link = (await dialog.getByLabel('Invitation link').textContent())!.trim();
  expect(link).toMatch(/\/register\?invite=/);

  const guest = await browser.newPage();
  const url = new URL(link);
  await guest.goto(url.pathname + url.search);
  await expect(guest.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await guest.getByRole('textbox', { name: 'Your name', exact: true }).fill('Invited Person');
  await guest.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await guest.getByRole('textbox', { name: 'Password', exact: true }).fill(USER_PASSWORD);
  await shot(guest, info, 'register');
  await guest.getByRole('button', { name: 'Create account' }).click();
  await expect(guest.getByRole('heading', { name: 'Account created' })).toBeVisible();
  await signIn(guest, email, USER_PASSWORD);
  await guest.close();
});

test('without an invitation, registration says it is by invitation', async ({ page }) => {
  await page.goto('/register');
  await expect(page.getByRole('heading', { name: 'Registration is by invitation' })).toBeVisible();
});
