// What the browser tests share with the server they start.

/** The administrator the test server is started with (NOVACRON_ADMIN_EMAIL/PASSWORD). */
export const ADMIN_EMAIL = 'admin@novacron.test';
/** Its password (passes the default policy). */
export const ADMIN_PASSWORD = 'e2e correct horse battery';
/** The password test accounts are created with. */
export const USER_PASSWORD = 'e2e staple horse battery';

/** The control plane the tests run against (set by playwright.config.ts, inherited by workers). */
export function baseUrl(): string {
  const port = process.env.NOVACRON_E2E_PORT;
  if (!port) throw new Error('NOVACRON_E2E_PORT is not set: run through playwright.config.ts');
  return `http://127.0.0.1:${port}`;
}
