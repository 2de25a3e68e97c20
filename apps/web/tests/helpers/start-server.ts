// The Playwright webServer: one control plane for the browser tests, with the test administrator, until Playwright stops it.
import { spawnServer } from './spawn-server';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './constants';

const port = Number(process.env.NOVACRON_E2E_PORT);
if (!port) throw new Error('NOVACRON_E2E_PORT is not set');
const server = await spawnServer({ port, dataDir: process.env.NOVACRON_E2E_DATA_DIR, env: { NOVACRON_ADMIN_EMAIL: ADMIN_EMAIL, NOVACRON_ADMIN_PASSWORD: ADMIN_PASSWORD } });
console.log(`e2e control plane at ${server.url} (data: ${server.dataDir})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.stop().then(() => process.exit(0)));
}
