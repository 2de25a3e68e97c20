import { expect, test } from '@playwright/test';
import { startSmtpSink, type SmtpSink } from '../../server/src/testing/smtp-sink';
import { createUser, patchSettings } from './helpers/api';
import { shot, signIn } from './helpers/ui';

let sink: SmtpSink;
test.beforeAll(async () => {
  sink = await startSmtpSink();
  await patchSettings({ smtp: { host: '127.0.0.1', port: sink.port, secure: false, user: '', from: 'NovaCron <noreply@novacron.test>' } });
});
test.afterAll(async () => {
  await sink?.close();
});

test('forgot password emails a link through SMTP; the link sets a new password', async ({ page }, info) => {
  const u = await createUser({ role: 'viewer' });
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(u.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('Check your email')).toBeVisible();
  await shot(page, info, 'forgot-password');

  const mail = await sink.next((m) => m.to.includes(u.email) && /reset/i.test(m.subject), 30_000);
  const link = /(https?:\/\/\S+\/reset-password\?token=\S+)/.exec(mail.text)?.[1];
  expect(link, mail.text).toBeTruthy();
  await page.goto(new URL(link!).pathname + new URL(link!).search);

  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('brand new e2e password');
  await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill('brand new e2e password');
  await shot(page, info, 'reset-password');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('Password changed')).toBeVisible();

  // The link is single use.
  await page.reload();
  await page.getByRole('textbox', { name: 'New password', exact: true }).fill('another e2e password 2');
  await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill('another e2e password 2');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not change the password');

  await signIn(page, u.email, 'brand new e2e password');
});

test('the settings page sends a test email through the configured SMTP server', async ({ page }, info) => {
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = await import('./helpers/constants');
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/admin/settings');
  await expect(page.getByRole('textbox', { name: 'SMTP host', exact: true })).toHaveValue('127.0.0.1');
  await shot(page, info, 'settings');
  await page.getByRole('textbox', { name: 'Send a test email to', exact: true }).fill('ops@novacron.test');
  await page.getByRole('button', { name: 'Send test email' }).click();
  const mail = await sink.next((m) => m.to.includes('ops@novacron.test'), 30_000);
  expect(mail.subject).toContain('test email');
  await expect(page.getByText('Test email sent to ops@novacron.test')).toBeVisible();
});
