import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiRequestError } from '@novacron/client';
import { after, describe, it } from 'node:test';
import { resolveGlobals } from './args';
import { readCredentials, writeCredentials } from './credentials';
import { NotLoggedInError } from './exit-codes';
import { ApiSession, jwtExpiry } from './session';
import { fakeFetch, fakeJwt, problem, type FakeRequest } from './testing/fake-api';

const server = 'http://127.0.0.1:9';
const root = mkdtempSync(join(tmpdir(), 'novacron-cli-session-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const now = () => Math.floor(Date.now() / 1000);

function setup(stored: { accessToken: string; refreshToken: string } | undefined, token?: string) {
  const file = join(root, `c${n++}`, 'credentials.json');
  if (stored) writeCredentials(file, { server, ...stored });
  return { file, globals: resolveGlobals({ help: false, version: false, server, token }, {}) };
}

const me = { id: 'u1', email: 'a@b.c' };
// A server whose access tokens are valid when they are in `valid`, and whose refresh tokens rotate.
function rotatingServer(valid: Set<string>, opts: { refreshDelayMs?: number } = {}) {
  let generation = 0;
  const used = new Set<string>();
  return fakeFetch((req: FakeRequest) => {
    if (req.path === '/api/v1/auth/refresh') {
      const rt = (req.body as { refreshToken: string }).refreshToken;
      if (used.has(rt)) return problem(401, 'REFRESH_TOKEN_REUSED');
      used.add(rt);
      generation++;
      const accessToken = fakeJwt(now() + 900, `g${generation}`);
      valid.add(accessToken);
      return { status: 200, body: { accessToken, refreshToken: `r${generation}`, expiresIn: 900, user: me }, delayMs: opts.refreshDelayMs };
    }
    if (req.path === '/api/v1/auth/me') {
      const token = req.authorization?.replace('Bearer ', '') ?? '';
      return valid.has(token) ? { status: 200, body: me } : problem(401, 'TOKEN_EXPIRED');
    }
    return undefined;
  });
}

describe('ApiSession', () => {
  it('reads exp from a JWT without verifying it', () => {
    assert.equal(jwtExpiry(fakeJwt(1000)), 1_000_000);
    assert.equal(jwtExpiry('nct_opaque'), undefined);
    assert.equal(jwtExpiry('a.b.c'), undefined);
  });

  it('refreshes an access token that has expired before calling, and stores the new pair', async () => {
    const { file, globals } = setup({ accessToken: fakeJwt(now() - 5), refreshToken: 'r0' });
    const api = rotatingServer(new Set());
    const session = new ApiSession(globals, file, api.fetch);
    assert.deepEqual(await session.call('auth.me'), me);
    assert.deepEqual(api.requests.map((r) => r.path), ['/api/v1/auth/refresh', '/api/v1/auth/me']);
    assert.equal(readCredentials(file)?.refreshToken, 'r1');
  });

  it('refreshes once and retries when the server answers TOKEN_EXPIRED', async () => {
    const { file, globals } = setup({ accessToken: 'opaque-but-expired', refreshToken: 'r0' });
    const api = rotatingServer(new Set());
    const session = new ApiSession(globals, file, api.fetch);
    assert.deepEqual(await session.call('auth.me'), me);
    assert.deepEqual(api.requests.map((r) => r.path), ['/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/auth/me']);
  });

  it('refreshes only once when two processes find the token expired at the same time', async () => {
    const { file, globals } = setup({ accessToken: fakeJwt(now() - 5), refreshToken: 'r0' });
    const api = rotatingServer(new Set(), { refreshDelayMs: 100 });
    // Two sessions over one credentials file stand for two CLI processes.
    const [a, b] = [new ApiSession(globals, file, api.fetch), new ApiSession(globals, file, api.fetch)];
    await Promise.all([a.call('auth.me'), b.call('auth.me')]);
    assert.equal(api.requests.filter((r) => r.path === '/api/v1/auth/refresh').length, 1);
  });

  it('says "not logged in" when the refresh token is refused', async () => {
    const { file, globals } = setup({ accessToken: fakeJwt(now() - 5), refreshToken: 'r0' });
    const api = fakeFetch(() => problem(401, 'REFRESH_TOKEN_REUSED'));
    await assert.rejects(new ApiSession(globals, file, api.fetch).call('auth.me'), NotLoggedInError);
  });

  it('never refreshes an explicit --token', async () => {
    const { file, globals } = setup({ accessToken: 'stored', refreshToken: 'r0' }, 'explicit');
    const api = rotatingServer(new Set());
    await assert.rejects(new ApiSession(globals, file, api.fetch).call('auth.me'), (e) => e instanceof ApiRequestError && e.code === 'TOKEN_EXPIRED');
    assert.deepEqual(api.requests.map((r) => r.authorization), ['Bearer explicit']);
  });

  it('does not send credentials stored for another server', async () => {
    const { file, globals } = setup(undefined);
    writeCredentials(file, { server: 'http://elsewhere:1', accessToken: 'a', refreshToken: 'r' });
    const api = rotatingServer(new Set(['a']));
    await assert.rejects(new ApiSession(globals, file, api.fetch).call('auth.me'), /stored credentials are for http:\/\/elsewhere:1/);
    assert.equal(api.requests.length, 0);
  });
});
