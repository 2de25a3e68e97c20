import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults: SQLite in the data dir on 127.0.0.1:8090', () => {
    const c = loadConfig({ NOVACRON_DATA_DIR: '/tmp/x' });
    assert.equal(c.port, 8090);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.databaseUrl, 'sqlite:/tmp/x/novacron.db');
    assert.equal(c.publicUrl, 'http://127.0.0.1:8090');
  });

  it('names the variable of a wrong value', () => {
    assert.throws(() => loadConfig({ NOVACRON_PORT: 'eighty' }), (e: Error) => e instanceof ConfigError && /NOVACRON_PORT/.test(e.message));
    assert.throws(() => loadConfig({ NOVACRON_DATABASE_URL: 'mysql://x' }), /NOVACRON_DATABASE_URL/);
    assert.throws(() => loadConfig({ NOVACRON_ADMIN_EMAIL: 'not-an-email', NOVACRON_ADMIN_PASSWORD: 'x' }), /NOVACRON_ADMIN_EMAIL/);
  });

  it('refuses half an admin', () => {
    assert.throws(() => loadConfig({ NOVACRON_ADMIN_EMAIL: 'a@b.io' }), /NOVACRON_ADMIN_PASSWORD/);
  });

  it('selects PostgreSQL from the URL', () => {
    assert.equal(loadConfig({ NOVACRON_DATABASE_URL: 'postgres://u@h/db' }).databaseUrl, 'postgres://u@h/db');
  });
});
