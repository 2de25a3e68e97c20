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

  // The filter applies after a debounce: wait for the filtered page so the export below carries it too.
  const filtered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/audit' && new URL(r.url()).searchParams.get('action') === 'auth.login');
  await page.getByRole('textbox', { name: 'Action', exact: true }).fill('auth.login');
  await filtered;
  await expect(table.getByRole('row')).not.toHaveCount(1);
  for (const action of await table.locator('tbody tr td:nth-child(4)').allTextContents()) if (action) expect(action).toMatch(/^auth\.login/);

  // The file is the server's export (GET /api/v1/audit/export), not assembled in the page: watch the request and its answer.
  const exported = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/audit/export');
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const response = await exported;
  expect(response.status()).toBe(200);
  expect(new URL(response.url()).searchParams.get('action')).toBe('auth.login');
  expect(response.headers()['content-type']).toMatch(/^text\/csv/);
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^novacron-audit-.*\.csv$/);
  expect(response.headers()['content-disposition']).toContain(download.suggestedFilename());
  const csv = readFileSync((await download.path())!, 'utf8');
  const [header, ...rows] = csv.trim().split('\r\n');
  // The server's column order (id after seq); the page's own CSV, before the export route, had none.
  expect(header).toBe('seq,id,time,actorId,actorLabel,tenantId,action,target,outcome,ip,requestId,details,prevHash,hash');
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.split(',')[6]).toMatch(/^auth\.login/);
  expect(rows.some((row) => row.includes(`,${ADMIN_EMAIL},`))).toBe(true);
});
