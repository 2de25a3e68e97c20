import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import type { TestUser } from '../../server/src/testing/test-users';
import { runCli } from './testing/run-cli';

let srv: TestServer;
let admin: TestUser;
let home: string;

const novacron = (args: string[]) => runCli(args, { home, url: srv.url, token: admin.token });

before(async () => {
  srv = await startTestServer();
  admin = await srv.admin();
  await admin.client.call('tenants.create', { body: { name: 'export-me' } });
  home = mkdtempSync(join(tmpdir(), 'novacron-cli-home-'));
});
after(async () => {
  await srv?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('novacron audit export', () => {
  it('streams the server CSV to stdout, with filters', async () => {
    const r = await novacron(['audit', 'export', '--action', 'tenants.']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\r\n');
    assert.match(lines[0], /^seq,id,time,actorId,actorLabel,/);
    assert.equal(lines.filter((l) => l.includes(',tenants.create,')).length, 1);
    assert.ok(lines.slice(1).filter(Boolean).every((l) => l.includes(',tenants.')));
  });

  it('writes --file atomically and says so', async () => {
    const file = join(home, 'audit.csv');
    const r = await novacron(['audit', 'export', '--file', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote \d+ bytes of CSV to .*audit\.csv/);
    const csv = readFileSync(file, 'utf8');
    assert.match(csv, /^seq,id,time,/);
    assert.match(csv, /,tenants\.create,/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(existsSync(`${file}.part`), false);
  });

  it('reports a bad filter as the API problem (exit 1) and writes no file', async () => {
    const file = join(home, 'bad.csv');
    const r = await novacron(['audit', 'export', '--since', 'yesterday', '--file', file]);
    assert.equal(r.code, 1);
    assert.match(r.err, /VALIDATION_FAILED/);
    assert.equal(existsSync(file), false);
    assert.equal(existsSync(`${file}.part`), false);
  });
});
