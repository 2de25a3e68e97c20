import { expect, test } from '@playwright/test';
import { apiLogin, createUser } from './helpers/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { expiredCopy } from './helpers/tokens';
import { shot, signIn, signOut } from './helpers/ui';

test('a protected page sends to login, and back to that page after signing in', async ({ page }, info) => {
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fusers$/);
  await shot(page, info, 'login');
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(ADMIN_EMAIL);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('table', { name: 'Users' })).toContainText(ADMIN_EMAIL);
});

test('a wrong password shows the problem detail and stays on the login page', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(ADMIN_EMAIL);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not sign in');
  await expect(alert).toContainText('INVALID_CREDENTIALS');
  await expect(page).toHaveURL(/\/login/);
});

test('sign out ends the session: the refresh cookie no longer restores it', async ({ page }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await signOut(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'novacron_refresh')).toBeUndefined();
});

test('the access token lives in memory: a reload refreshes silently from the httpOnly cookie', async ({ page }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'novacron_refresh');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Strict');
  expect(cookie?.path).toBe('/api/v1/auth');
  // Nothing readable by scripts holds a token.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
  expect(stored).not.toMatch(/eyJ|ncrt_/);

  await page.goto('/admin/tenants');
  await page.reload();
  await expect(page).toHaveURL(/\/admin\/tenants$/);
  await expect(page.getByRole('heading', { name: 'Tenants' })).toBeVisible();
  // The refresh token rotated: the cookie holds a new one.
  const after = (await page.context().cookies()).find((c) => c.name === 'novacron_refresh');
  expect(after?.value).not.toBe(cookie?.value);
});

test('an expired access token is refreshed silently and the request retried', async ({ page }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/roles');
  await expect(page.getByRole('table', { name: 'Permission matrix' })).toBeVisible();
  const answers: string[] = [];
  page.on('response', async (res) => {
    if (res.url().includes('/api/v1/tenants?')) answers.push(`${res.status()} ${(await res.json().catch(() => ({}))).code ?? ''}`.trim());
  });
  // The next tenant list request carries an expired copy of the live token, as if the tab had slept past its lifetime.
  let tampered = false;
  await page.route('**/api/v1/tenants?*', async (route, request) => {
    if (tampered) return route.continue();
    tampered = true;
    const live = request.headers().authorization.replace(/^Bearer /, '');
    await route.continue({ headers: { ...request.headers(), authorization: `Bearer ${await expiredCopy(live)}` } });
  });
  await page.getByRole('link', { name: 'Tenants', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Tenant default' })).toBeVisible();
  expect(answers[0]).toBe('401 TOKEN_EXPIRED');
  expect(answers).toContain('200');
  await expect(page).toHaveURL(/\/admin\/tenants$/);
});

test('a revoked session goes back to login, remembering the page', async ({ page }) => {
  const u = await createUser({ role: 'viewer' });
  await signIn(page, u.email, u.password);
  await page.goto('/account?tab=sessions');
  await expect(page.getByRole('table', { name: 'Sessions' })).toBeVisible();
  // The same user signs out every other session from elsewhere (the API).
  const { client } = await apiLogin(u.email, u.password);
  const { revoked } = await client.call('auth.revokeAllSessions');
  expect(revoked).toBeGreaterThanOrEqual(1);
  await page.reload();
  await expect(page).toHaveURL(/\/login\?next=%2Faccount%3Ftab%3Dsessions$/);
});

