import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { credentialsPath, deleteCredentials, readCredentials, withCredentialsLock, writeCredentials } from './credentials';

const root = mkdtempSync(join(tmpdir(), 'novacron-cli-creds-'));
after(() => rmSync(root, { recursive: true, force: true }));
const creds = { server: 'http://127.0.0.1:1', accessToken: 'a', refreshToken: 'r' };

describe('credentials', () => {
  it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    assert.equal(credentialsPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/x/novacron/credentials.json');
    assert.equal(credentialsPath({ HOME: '/h' }), '/h/.config/novacron/credentials.json');
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    assert.equal(credentialsPath({ XDG_CONFIG_HOME: 'rel', HOME: '/h' }), '/h/.config/novacron/credentials.json');
  });

  it('is written 0600 in a 0700 directory, whatever the umask and the directory were', () => {
    const dir = join(root, 'loose', 'novacron');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const file = join(dir, 'credentials.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    const old = process.umask(0);
    try {
      writeCredentials(file, creds);
    } finally {
      process.umask(old);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(readCredentials(file), creds);
  });

  it('treats a missing or damaged file as not logged in, and deletes', () => {
    const file = join(root, 'bad', 'credentials.json');
    assert.equal(readCredentials(file), undefined);
    mkdirSync(join(root, 'bad'));
    writeFileSync(file, '{"server": 1');
    assert.equal(readCredentials(file), undefined);
    writeFileSync(file, JSON.stringify({ server: 'x' }));
    assert.equal(readCredentials(file), undefined);
    assert.equal(deleteCredentials(file), true);
    assert.equal(deleteCredentials(file), false);
  });

  it('lets one holder at a time run under the lock', async () => {
    const file = join(root, 'lock', 'credentials.json');
    const order: string[] = [];
    const holder = (name: string) =>
      withCredentialsLock(file, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 60));
        order.push(`${name}-`);
      });
    await Promise.all([holder('a'), holder('b')]);
    assert.ok(order.join(' ') === 'a+ a- b+ b-' || order.join(' ') === 'b+ b- a+ a-', order.join(' '));
    assert.throws(() => readFileSync(`${file}.lock`), /ENOENT/);
  });
});
