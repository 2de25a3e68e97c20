import { mkdirSync } from 'node:fs';
import { buildApp } from './app';
import { bootstrap, setupBanner } from './auth/bootstrap';
import { ConfigError, configHelp, loadConfig } from './config';
import { systemClock } from './lib/clock';
import { createServices } from './services';
import { openStore } from './store/db';
import { migrate } from './store/migrate';

if (process.argv.includes('--help')) {
  console.log(`novacron: starts the NovaCron control plane (and, by default, an agent for this host).\n\nEnvironment:\n${configHelp()}`);
  process.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`novacron: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
const store = openStore(config.databaseUrl);
await migrate(store);
const services = createServices(config, store, systemClock);
let boot;
try {
  boot = await bootstrap(services);
} catch (err) {
  console.error(`novacron: ${(err as Error).message}`);
  process.exit(2);
}
const interrupted = await services.operations.recover();
const app = await buildApp(services, { logger: { level: config.logLevel } });
if (interrupted) app.log.warn({ interrupted }, 'operations interrupted by the previous shutdown marked failed');
await app.listen({ host: config.host, port: config.port });
if (boot.adminCreated) console.log(`created administrator ${boot.adminCreated} from NOVACRON_ADMIN_EMAIL`);
if (boot.setupToken) console.log(setupBanner(boot.setupToken, config.publicUrl, boot.setupExpiresAt ?? ''));
console.log(`NovaCron ${config.publicUrl} (data: ${config.dataDir}, store: ${store.dialect})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await store.close();
    process.exit(0);
  });
}
