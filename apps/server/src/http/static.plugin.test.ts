import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.plugin';
import { registerWebApp } from './static.plugin';

describe('static.plugin: the dashboard at /', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'novacron-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>NovaCron</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync('console.log(1)'));
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(join(tmpdir(), 'novacron-secret.txt'), 'secret');
    app = Fastify();
    registerErrorHandling(app);
    await registerWebApp(app, dir);
    app.get('/api/v1/health', async () => ({ status: 'ok' }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'novacron-secret.txt'), { force: true });
  });

  it('serves index.html for client-side routes, not cached, with a CSP', async () => {
    for (const url of ['/', '/admin/users', '/reset-password?token=abc']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<title>NovaCron<\/title>/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    }
  });

  it('serves hashed assets as immutable, gzipped when accepted', async () => {
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.body, 'console.log(1)');
    assert.match(String(plain.headers['cache-control']), /immutable/);
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.match(String(gz.headers['content-type']), /javascript/);
  });

  it('serves other files and refuses to leave the directory', async () => {
    assert.equal((await app.inject({ url: '/favicon.svg' })).body, '<svg/>');
    const escape = await app.inject({ url: '/..%2fnovacron-secret.txt' });
    assert.doesNotMatch(escape.body, /secret/);
  });

  it('keeps problem+json 404s for the API and for missing assets', async () => {
    const api = await app.inject({ url: '/api/v1/nope' });
    assert.equal(api.statusCode, 404);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
    assert.equal(api.json().code, 'ROUTE_NOT_FOUND');
    assert.equal((await app.inject({ url: '/api/v1/health' })).json().status, 'ok');
    const asset = await app.inject({ url: '/assets/index-old.js' });
    assert.equal(asset.statusCode, 404);
    assert.equal(asset.json().code, 'NOT_FOUND');
    const post = await app.inject({ method: 'POST', url: '/admin' });
    assert.equal(post.statusCode, 404);
  });

  it('does nothing without a build', async () => {
    const bare = Fastify();
    registerErrorHandling(bare);
    await registerWebApp(bare, join(dir, 'missing'));
    assert.equal((await bare.inject({ url: '/' })).statusCode, 404);
    await bare.close();
  });
});
