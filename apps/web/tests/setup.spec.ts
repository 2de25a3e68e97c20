import { expect, test } from '@playwright/test';
import { spawnServer, type SpawnedServer } from './helpers/spawn-server';
import { shot } from './helpers/ui';

// A second control plane started without NOVACRON_ADMIN_*: it prints a one-time setup token on its first start.
let server: SpawnedServer;
test.beforeAll(async () => {
  server = await spawnServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('first-run setup creates the administrator with the printed setup token', async ({ page }, info) => {
  const token = server.setupToken();
  expect(token, `no setup token in:\n${server.stdout()}`).toBeTruthy();
  // The login page knows no user exists yet and sends to setup.
  await page.goto(`${server.url}/login`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Set up NovaCron' })).toBeVisible();
  await shot(page, info, 'setup');

  // A wrong token is refused with the server's explanation.
  await page.getByRole('textbox', { name: 'Setup token', exact: true }).fill('ncs_not-the-right-token-at-all');
  await page.getByRole('textbox', { name: 'Your name', exact: true }).fill('First Admin');
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill('first@novacron.test');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('first admin strong password');
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Could not set up' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Setup token', exact: true }).fill(token!);
  await page.getByRole('button', { name: 'Create administrator' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('first@novacron.test');

  // Setup is over for everyone.
  await page.goto(`${server.url}/setup`);
  await expect(page.getByRole('heading', { name: 'Already set up' })).toBeVisible();
});
