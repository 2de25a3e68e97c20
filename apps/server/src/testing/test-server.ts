import { NovaCronClient } from '@novacron/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { bootstrap } from '../auth/bootstrap';
import { loadConfig } from '../config';
import { systemClock, type Clock } from '../lib/clock';
import { createServices, type Services } from '../services';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';
import { createTestDatabase } from './test-database';
import { createUser, type TestUser } from './test-users';

/** A real server on a loopback port over a fresh database. */
export interface TestServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  dataDir: string;
  /** A client; with a token it sends `Authorization: Bearer`. */
  client(token?: string): NovaCronClient;
  /** The first-run setup token bootstrap issued (undefined when NOVACRON_ADMIN_EMAIL was given). */
  setupToken?: string;
  /** A global admin (created on first call, then reused), signed in. */
  admin(): Promise<TestUser>;
  close(): Promise<void>;
}

/** Starts the control plane on 127.0.0.1 with a random port, a temp data dir and a fresh database. */
export async function startTestServer(opts: { dialect?: 'sqlite' | 'postgres'; clock?: Clock; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'novacron-srv-'));
  const database = await createTestDatabase(opts.dialect ?? 'sqlite');
  const config = loadConfig({
    NOVACRON_DATA_DIR: dataDir,
    NOVACRON_DATABASE_URL: database.url,
    NOVACRON_PORT: '0',
    NOVACRON_EMBEDDED_AGENT: 'false',
    ...opts.env,
  });
  const store = openStore(config.databaseUrl);
  await migrate(store);
  const services = createServices(config, store, opts.clock ?? systemClock);
  const boot = await bootstrap(services);
  await services.operations.recover();
  const app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let admin: Promise<TestUser> | null = null;
  const srv: TestServer = {
    url,
    app,
    services,
    dataDir,
    setupToken: boot.setupToken,
    client: (token?: string) => new NovaCronClient({ baseUrl: url, token }),
    admin: () => (admin ??= createUser(srv, { role: 'admin', global: true, email: 'admin@test.novacron.local' })),
    close: async () => {
      await app.close();
      await store.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return srv;
}
