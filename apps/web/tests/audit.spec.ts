import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './helpers/constants';
import { shot, signIn } from './helpers/ui';

test('the audit log lists sign-ins, verifies its hash chain and exports CSV', async ({ page }, info) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  const table = page.getByRole('table', { name: 'Audit entries' });
  await expect(table).toContainText('auth.login');

  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status')).toContainText('Chain verified');
  await shot(page, info, 'audit');

  await page.getByRole('textbox', { name: 'Action', exact: true }).fill('auth.login');
  await expect(table.getByRole('row')).not.toHaveCount(1);
  for (const action of await table.locator('tbody tr td:nth-child(4)').allTextContents()) if (action) expect(action).toMatch(/^auth\.login/);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^novacron-audit-.*\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const [header, ...rows] = csv.trim().split('\r\n');
  expect(header).toBe('seq,time,actorLabel,actorId,tenantId,action,target,outcome,ip,requestId,details,prevHash,hash');
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row).toContain('"auth.login');
});
