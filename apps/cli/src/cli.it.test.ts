import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { readCredentials, writeCredentials } from './credentials';
import { fakeJwt } from './testing/fake-api';
import { runCli, type CliRun } from './testing/run-cli';

// The real CLI process against the in-process server, in the given home.
const novacron = (home: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> =>
  runCli(args, { home, url: srv.url, ...opts });

let srv: TestServer;
let home: string;
let admin: { email: string; password: string };
const credentialsFile = () => join(home, 'config', 'novacron', 'credentials.json');

before(async () => {
  srv = await startTestServer();
  admin = await srv.admin();
  home = mkdtempSync(join(tmpdir(), 'novacron-cli-home-'));
});
after(async () => {
  await srv?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('novacron CLI against a real server', () => {
  it('refuses commands before login with exit 3', async () => {
    const r = await novacron(home, ['users', 'list']);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /^error UNAUTHENTICATED: not logged in/);
  });

  it('exits 3 for a wrong password and stores nothing', async () => {
    const r = await novacron(home, ['login', '--email', admin.email, '--password-stdin'], { stdin: 'wrong password\n' });
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /^error INVALID_CREDENTIALS:/);
    assert.equal(readCredentials(credentialsFile()), undefined);
  });

  it('logs in with the password on stdin and stores the session with mode 0600 in a 0700 directory', async () => {
    const r = await novacron(home, ['login', '--email', admin.email, '--password-stdin'], { stdin: `${admin.password}\n` });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `Logged in to ${srv.url} as ${admin.email}\n`);
    assert.equal(statSync(credentialsFile()).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, 'config', 'novacron')).mode & 0o777, 0o700);
    const stored = JSON.parse(readFileSync(credentialsFile(), 'utf8'));
    assert.equal(stored.server, srv.url);
    assert.ok(stored.accessToken && stored.refreshToken);
  });

  it('whoami shows the signed-in user, as a table and as the raw API JSON', async () => {
    const table = await novacron(home, ['whoami']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, new RegExp(`^email: +${admin.email.replace(/\./g, '\\.')}$`, 'm'));
    const json = await novacron(home, ['whoami', '--output', 'json']);
    const me = JSON.parse(json.out);
    assert.equal(me.email, admin.email);
    assert.ok(me.permissions.global.includes('user:admin'));
  });

  it('users list --output json prints a page that parses', async () => {
    const r = await novacron(home, ['users', 'list', '--output', 'json']);
    assert.equal(r.code, 0, r.err);
    const page = JSON.parse(r.out);
    assert.ok(Array.isArray(page.items));
    assert.ok(page.items.some((u: { email: string }) => u.email === admin.email));
    assert.ok('nextCursor' in page);
  });

  it('exits 4 with "error NOT_FOUND" for a user that does not exist, by id and by email', async () => {
    for (const ref of ['no-such-user', 'nobody@example.com']) {
      const r = await novacron(home, ['users', 'get', ref]);
      assert.equal(r.code, 4, r.err);
      assert.match(r.err, /^error NOT_FOUND: /);
      assert.equal(r.out, '');
    }
  });

  it('exits 2 for bad usage', async () => {
    for (const args of [['users', 'list', '--no-such-flag'], ['users', 'get'], ['no-such-command'], ['users', 'list', '--limit', 'many']]) {
      const r = await novacron(home, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /^error USAGE: /);
    }
  });

  it('exits 1 with the field named when the server refuses a value', async () => {
    const r = await novacron(home, ['settings', 'set', 'passwordPolicy.minLength=3']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^error VALIDATION_FAILED: .*\n {2}body\.passwordPolicy\.minLength: /);
  });

  it('manages tenants, users, roles and settings', async () => {
    const t = await novacron(home, ['tenants', 'create', 'acme', '--description', 'Acme Corp', '--quota-vms', '5', '-o', 'json']);
    assert.equal(t.code, 0, t.err);
    const tenant = JSON.parse(t.out);
    assert.equal(tenant.quotas.vms, 5);
    const got = await novacron(home, ['tenants', 'get', 'acme']);
    assert.match(got.out, /^vms \(used\/quota\): +0\/5$/m);

    const u = await novacron(home, ['users', 'create', '--email', 'ops@acme.test', '--name', 'Ops', '--tenant', tenant.id, '--role', `operator@${tenant.id}`, '-o', 'json']);
    assert.equal(u.code, 0, u.err);
    assert.deepEqual(JSON.parse(u.out).roles, [{ role: 'operator', tenantId: tenant.id }]);
    const dis = await novacron(home, ['users', 'disable', 'ops@acme.test', '-o', 'json']);
    assert.equal(JSON.parse(dis.out).disabled, true);
    const roles = await novacron(home, ['users', 'roles', 'ops@acme.test', '--add', 'viewer', '-o', 'json']);
    assert.equal(roles.code, 0, roles.err);
    assert.equal(JSON.parse(roles.out).length, 2);

    const s = await novacron(home, ['settings', 'set', 'passwordPolicy.minLength=14', 'smtp.port=2525']);
    assert.equal(s.code, 0, s.err);
    const one = await novacron(home, ['settings', 'get', 'smtp.port']);
    assert.equal(one.out, '2525\n');

    const inUse = await novacron(home, ['tenants', 'delete', 'acme']);
    assert.equal(inUse.code, 1);
    assert.match(inUse.err, /^error IN_USE: /);
    assert.equal((await novacron(home, ['users', 'delete', 'ops@acme.test'])).code, 0);
    assert.equal((await novacron(home, ['tenants', 'delete', 'acme'])).code, 0);
    assert.equal((await novacron(home, ['tenants', 'get', 'acme'])).code, 4);
  });

  it('creates an API token that works as NOVACRON_TOKEN, and verifies the audit chain', async () => {
    const c = await novacron(home, ['tokens', 'create', '--name', 'ci', '--role', 'auditor', '-o', 'json']);
    assert.equal(c.code, 0, c.err);
    const { secret } = JSON.parse(c.out);
    const other = mkdtempSync(join(tmpdir(), 'novacron-cli-token-'));
    try {
      const v = await novacron(other, ['audit', 'verify', '-o', 'json'], { env: { NOVACRON_TOKEN: secret } });
      assert.equal(v.code, 0, v.err);
      assert.equal(JSON.parse(v.out).ok, true);
      const denied = await novacron(other, ['tenants', 'create', 'nope'], { env: { NOVACRON_TOKEN: secret } });
      assert.equal(denied.code, 1);
      assert.match(denied.err, /^error FORBIDDEN: /);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    const list = await novacron(home, ['audit', 'list', '--action', 'tenants.', '-o', 'json']);
    assert.ok(JSON.parse(list.out).items.some((e: { action: string }) => e.action === 'tenants.create'));
  });

  it('refreshes an expired access token by itself and stores the rotated pair', async () => {
    const stored = readCredentials(credentialsFile())!;
    writeCredentials(credentialsFile(), { ...stored, accessToken: fakeJwt(Math.floor(Date.now() / 1000) - 60) });
    const r = await novacron(home, ['whoami', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    const after = readCredentials(credentialsFile())!;
    assert.notEqual(after.refreshToken, stored.refreshToken);
    assert.notEqual(after.accessToken, stored.accessToken);
  });

  it('logs out: the credentials are gone and the session is revoked on the server', async () => {
    const stored = readCredentials(credentialsFile())!;
    const r = await novacron(home, ['logout']);
    assert.equal(r.code, 0, r.err);
    assert.equal(readCredentials(credentialsFile()), undefined);
    await assert.rejects(srv.client().call('auth.refresh', { body: { refreshToken: stored.refreshToken } }), (e: { status?: number }) => e.status === 401);
    assert.equal((await novacron(home, ['whoami'])).code, 3);
  });
});

describe('novacron setup against a fresh server', () => {
  it('creates the first administrator with the setup token, logs in, and refuses a second setup', async () => {
    const fresh = await startTestServer();
    const freshHome = mkdtempSync(join(tmpdir(), 'novacron-cli-setup-'));
    try {
      assert.ok(fresh.setupToken);
      const env = { NOVACRON_URL: fresh.url };
      const args = ['setup', '--setup-token', fresh.setupToken!, '--email', 'first@example.com', '--password-stdin'];
      const r = await novacron(freshHome, args, { env, stdin: 'a long first password\n' });
      assert.equal(r.code, 0, r.err);
      const me = await novacron(freshHome, ['whoami', '-o', 'json'], { env });
      assert.ok(JSON.parse(me.out).permissions.global.includes('settings:write'));
      const again = await novacron(freshHome, args, { env, stdin: 'a long first password\n' });
      assert.equal(again.code, 1);
      assert.match(again.err, /^error (ALREADY_SET_UP|INVALID_TOKEN): /);
    } finally {
      await fresh.close();
      rmSync(freshHome, { recursive: true, force: true });
    }
  });
});
