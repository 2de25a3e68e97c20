import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { run } from './cli';
import { readCredentials, writeCredentials } from './credentials';
import { captureIo, fakeFetch, fakeJwt, problem, type FakeAnswer, type FakeRequest } from './testing/fake-api';

const server = 'http://127.0.0.1:9';
const root = mkdtempSync(join(tmpdir(), 'novacron-cli-run-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Runs the CLI in-process against a fake API, logged in unless told otherwise. */
async function cli(argv: string[], handler: (req: FakeRequest) => FakeAnswer | undefined, opts: { stdin?: string; loggedIn?: boolean } = {}) {
  const config = join(root, `home${n++}`);
  const env = { XDG_CONFIG_HOME: config, HOME: config, NOVACRON_URL: server };
  if (opts.loggedIn !== false) writeCredentials(join(config, 'novacron', 'credentials.json'), { server, accessToken: 'tok', refreshToken: 'r' });
  const io = captureIo(env, opts.stdin);
  const api = fakeFetch(handler);
  const code = await run(argv, io, { fetch: api.fetch });
  return { code, out: io.out(), err: io.err(), requests: api.requests, config };
}

const user = {
  id: 'u1', email: 'a@b.c', name: 'A', tenantId: 't1', disabled: false, emailVerified: true, totpEnabled: false,
  createdAt: '2026-12-01T00:00:00.000Z', lastLoginAt: null, roles: [{ role: 'admin', tenantId: null }],
};

describe('novacron exit codes and errors', () => {
  it('exits 4 with "error NOT_FOUND: detail" on stderr for a missing resource', async () => {
    const r = await cli(['users', 'get', 'nope'], () => problem(404, 'NOT_FOUND', 'no user nope'));
    assert.equal(r.code, 4);
    assert.equal(r.err, 'error NOT_FOUND: no user nope\n');
    assert.equal(r.out, '');
  });
  it('exits 3 on 401 and 1 on other API errors, listing field errors', async () => {
    assert.equal((await cli(['whoami'], () => problem(401, 'UNAUTHENTICATED'))).code, 3);
    assert.equal((await cli(['users', 'list'], () => problem(403, 'FORBIDDEN'))).code, 1);
    assert.equal((await cli(['users', 'list'], () => problem(404, 'ROUTE_NOT_FOUND'))).code, 1);
    const v = await cli(['tenants', 'create', 'x'], () => ({
      status: 400,
      body: { ...problem(400, 'VALIDATION_FAILED', 'invalid body').body as object, errors: [{ in: 'body', path: 'name', message: 'too short' }] },
    }));
    assert.equal(v.code, 1);
    assert.equal(v.err, 'error VALIDATION_FAILED: invalid body\n  body.name: too short\n');
  });
  it('prints the problem JSON on stderr with --output json', async () => {
    const r = await cli(['users', 'get', 'nope', '-o', 'json'], () => problem(404, 'NOT_FOUND', 'no user nope'));
    assert.equal(r.code, 4);
    assert.equal(JSON.parse(r.err).code, 'NOT_FOUND');
  });
  it('exits 3 without calling the server when not logged in', async () => {
    const r = await cli(['users', 'list'], () => ({ status: 200, body: { items: [], nextCursor: null } }), { loggedIn: false });
    assert.equal(r.code, 3);
    assert.match(r.err, /^error UNAUTHENTICATED: not logged in to http:\/\/127\.0\.0\.1:9/);
    assert.equal(r.requests.length, 0);
  });
  it('exits 1 with SERVER_UNREACHABLE when the server is down', async () => {
    const config = join(root, `home${n++}`);
    const io = captureIo({ XDG_CONFIG_HOME: config, NOVACRON_URL: server, NOVACRON_TOKEN: 't' });
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as unknown as typeof fetch;
    assert.equal(await run(['whoami'], io, { fetch: refused }), 1);
    assert.equal(io.err(), 'error SERVER_UNREACHABLE: cannot reach the server: ECONNREFUSED\n');
  });
  it('exits 2 on usage errors before any request', async () => {
    for (const argv of [['users', 'list', '--bogus'], ['users', 'get'], ['frobnicate'], ['users'], [], ['-o', 'yaml', 'whoami'], ['users', 'list', '--limit', '0']]) {
      const r = await cli(argv, () => undefined);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.requests.length, 0, argv.join(' '));
    }
  });
  it('prints help on stdout with exit 0', async () => {
    const r = await cli(['users', 'create', '--help'], () => undefined);
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: novacron users create/);
    assert.match(r.out, /--password-stdin/);
  });
});

describe('novacron output', () => {
  const page = { items: [user], nextCursor: 'c2' };
  it('prints the raw page with --output json', async () => {
    const r = await cli(['users', 'list', '--output=json', '--limit', '1'], (req) => (req.path === '/api/v1/users' ? { status: 200, body: page } : undefined));
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.out), page);
    assert.equal(r.requests[0].query.get('limit'), '1');
    assert.equal(r.requests[0].authorization, 'Bearer tok');
  });
  it('prints an aligned table and the next cursor on stderr', async () => {
    const r = await cli(['users', 'list'], () => ({ status: 200, body: page }));
    assert.match(r.out, /^ID +EMAIL +NAME +TENANT +ROLES +DISABLED +2FA +LAST LOGIN\nu1 +a@b\.c +A +t1 +admin +false +false +-\n$/);
    assert.match(r.err, /--cursor c2/);
  });
  it('follows cursors with --all', async () => {
    const r = await cli(['users', 'list', '--all', '-o', 'json'], (req) =>
      req.query.get('cursor') ? { status: 200, body: { items: [{ ...user, id: 'u2' }], nextCursor: null } } : { status: 200, body: page },
    );
    assert.deepEqual(JSON.parse(r.out).items.map((u: { id: string }) => u.id), ['u1', 'u2']);
  });
  it('exits 1 when an operation it waited for failed', async () => {
    const op = { id: 'o1', kind: 'vm.start', status: 'failed', progress: 100, mayCancel: false, tenantId: null, resources: [], result: null,
      error: { code: 'HYPERVISOR_ERROR', message: 'qemu died' }, createdBy: null, createdAt: '', updatedAt: '' };
    const r = await cli(['op', 'wait', 'o1'], () => ({ status: 200, body: op }));
    assert.equal(r.code, 1);
    assert.match(r.err, /error HYPERVISOR_ERROR: operation o1 failed: qemu died/);
  });
});

describe('novacron login', () => {
  const result = { accessToken: fakeJwt(Math.floor(Date.now() / 1000) + 900), refreshToken: 'rt', expiresIn: 900, user };
  it('reads email and password as lines of stdin and stores the session 0600', async () => {
    const r = await cli(['login'], (req) => (req.path === '/api/v1/auth/login' ? { status: 200, body: result } : undefined), {
      stdin: 'a@b.c\nhunter2 with spaces\n',
      loggedIn: false,
    });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.requests[0].body, { email: 'a@b.c', password: 'hunter2 with spaces' });
    const file = join(r.config, 'novacron', 'credentials.json');
    assert.deepEqual(readCredentials(file), { server, accessToken: result.accessToken, refreshToken: 'rt', email: 'a@b.c' });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(r.out, `Logged in to ${server} as a@b.c\n`);
  });
  it('takes --email, --password-stdin and --totp, and exits 2 when stdin has no password', async () => {
    const r = await cli(['login', '--email', 'a@b.c', '--password-stdin', '--totp', '123456'], () => ({ status: 200, body: result }), {
      stdin: 'pw\n', loggedIn: false,
    });
    assert.deepEqual(r.requests[0].body, { email: 'a@b.c', password: 'pw', totp: '123456' });
    const empty = await cli(['login', '--email', 'a@b.c'], () => ({ status: 200, body: result }), { stdin: '', loggedIn: false });
    assert.equal(empty.code, 2);
    assert.match(empty.err, /expected the password on standard input/);
  });
  it('exits 3 on wrong credentials and stores nothing', async () => {
    const r = await cli(['login'], () => problem(401, 'INVALID_CREDENTIALS'), { stdin: 'a@b.c\nbad\n', loggedIn: false });
    assert.equal(r.code, 3);
    assert.equal(readCredentials(join(r.config, 'novacron', 'credentials.json')), undefined);
  });
});
