import { NovaCronClient } from '@novacron/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { systemClock, type Clock } from '../lib/clock';
import { createServices, type Services } from '../services';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';
import { createTestDatabase } from './test-database';

/** A real server on a loopback port over a fresh database. */
export interface TestServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  dataDir: string;
  /** An unauthenticated client. */
  client(token?: string): NovaCronClient;
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
  await services.operations.recover();
  const app = await buildApp(services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    app,
    services,
    dataDir,
    client: (token?: string) => new NovaCronClient({ baseUrl: url, token }),
    close: async () => {
      await app.close();
      await store.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
