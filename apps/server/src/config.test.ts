import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config';

const dir = mkdtempSync(join(tmpdir(), 'novacron-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Writes a config file and answers its path. */
function configFile(content: unknown): string {
  const path = join(dir, `config-${++files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

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

  it('reads a JSON config file whose booleans and numbers are JSON, not strings', () => {
    const path = configFile({ NOVACRON_EMBEDDED_AGENT: false, NOVACRON_PORT: 9000, NOVACRON_HOST: '0.0.0.0' });
    const c = loadConfig({ NOVACRON_CONFIG: path });
    assert.equal(c.embeddedAgent, false);
    assert.equal(c.port, 9000);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_EMBEDDED_AGENT: true }) }).embeddedAgent, true);
    assert.equal(loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_EMBEDDED_AGENT: 'false' }) }).embeddedAgent, false, 'strings still work');
  });

  it('lets the environment win over the file', () => {
    const path = configFile({ NOVACRON_PORT: 9000, NOVACRON_EMBEDDED_AGENT: false });
    const c = loadConfig({ NOVACRON_CONFIG: path, NOVACRON_PORT: '9100', NOVACRON_EMBEDDED_AGENT: 'true' });
    assert.equal(c.port, 9100);
    assert.equal(c.embeddedAgent, true);
  });

  it('names the key of a wrong value in the file, and refuses unknown keys and non-objects', () => {
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_PORT: 70000 }) }), (e: Error) => e instanceof ConfigError && /NOVACRON_PORT/.test(e.message));
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_PORT: 80.5 }) }), /NOVACRON_PORT/);
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_EMBEDDED_AGENT: 1 }) }), /NOVACRON_EMBEDDED_AGENT/);
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_HOST: ['a'] }) }), /NOVACRON_HOST/);
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_HOST: null }) }), /NOVACRON_HOST/);
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile({ NOVACRON_PROT: 1 }) }), /unknown keys NOVACRON_PROT/);
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile([1, 2]) }), (e: Error) => e instanceof ConfigError && /JSON object/.test(e.message));
    assert.throws(() => loadConfig({ NOVACRON_CONFIG: configFile('{ not json') }), (e: Error) => e instanceof ConfigError && /cannot read/.test(e.message));
  });
});
