import { expect, test } from '@playwright/test';
import { createUser } from './helpers/api';
import { shot, signIn, signOut } from './helpers/ui';
import { totp } from './helpers/totp';

test('2FA enrolment with QR code and recovery codes, then sign-in with a TOTP code and with a recovery code', async ({ page }, info) => {
  const u = await createUser({ role: 'viewer' });
  await signIn(page, u.email, u.password);
  await page.goto('/account?tab=security');
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.getByRole('img', { name: 'QR code to scan with an authenticator app' })).toBeVisible();
  const secret = (await page.getByLabel('Secret key').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await shot(page, info, 'account-2fa-enrol');

  const confirmStep = Math.floor(Date.now() / 30_000);
  await page.getByRole('textbox', { name: 'Six-digit code', exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())!.trim();
  await page.getByRole('button', { name: 'I saved them' }).click();
  await expect(page.getByText('Two-factor authentication is on for your account.')).toBeVisible();
  await signOut(page);

  // Sign-in now asks for a code. The code used to enrol may not be replayed: take a later time step.
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(u.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const code = page.getByRole('textbox', { name: 'Authentication code', exact: true });
  await expect(code).toBeVisible();
  await shot(page, info, 'login-totp');
  await code.fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('INVALID_TOTP');
  const now = Date.now();
  await code.fill(Math.floor(now / 30_000) > confirmStep ? totp(secret, now) : totp(secret, now + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await signOut(page);

  // A recovery code works once instead.
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(u.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
  await page.getByRole('textbox', { name: 'Recovery code', exact: true }).fill(recovery);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});
