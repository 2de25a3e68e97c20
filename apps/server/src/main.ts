import { mkdirSync } from 'node:fs';
import { buildApp } from './app';
import { bootstrap, setupBanner } from './auth/bootstrap';
import { ConfigError, configHelp, loadConfig } from './config';
import { systemClock } from './lib/clock';
import { startEmbeddedAgent } from './nodes/embedded-agent';
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

// The embedded default: an agent for this host over loopback. QEMU processes outlive it and are re-adopted next start.
let agent: Awaited<ReturnType<typeof startEmbeddedAgent>> | undefined;
if (config.embeddedAgent) {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  try {
    agent = await startEmbeddedAgent(services, `http://${host}:${port}`, app.log.child({ component: 'agent' }));
    console.log(`embedded agent connected as node ${agent.nodeId}`);
  } catch (err) {
    app.log.error({ err: (err as Error).message }, 'the embedded agent could not start; VMs cannot run on this host until it does');
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await agent?.stop();
    await app.close();
    await store.close();
    process.exit(0);
  });
}
