// Regressions the fuzzer found in the HTTP framework, pinned down: each answer is problem+json with a code whose status matches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorCodes, type ErrorCode } from '@novacron/api';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import type { TestUser } from '../testing/test-users';
import { send, sendRaw, type FuzzAnswer } from './fuzz-requests';

function problem(a: FuzzAnswer, code: ErrorCode): { errors?: { in: string; path: string }[] } {
  assert.equal(a.status, errorCodes[code], a.text);
  assert.match(a.type, /^application\/problem\+json/);
  const body = JSON.parse(a.text);
  assert.equal(body.code, code);
  assert.equal(body.status, a.status);
  return body;
}

for (const dialect of TEST_DIALECTS) {
  describe(`framework error answers on ${dialect}`, () => {
    let srv: TestServer;
    let admin: TestUser;
    let json: Record<string, string>;
    let auth: Record<string, string>;

    before(async () => {
      srv = await startTestServer({ dialect });
      admin = await srv.admin();
      auth = { authorization: `Bearer ${admin.token}` };
      json = { ...auth, 'content-type': 'application/json' };
    });
    after(() => srv.close());

    it('refuses NUL characters in query, body and path instead of failing in the database', async () => {
      const q = problem(await send(srv.url, { method: 'GET', path: '/api/v1/users?text=a%00b', headers: auth }), 'VALIDATION_FAILED');
      assert.deepEqual(q.errors?.[0], { in: 'query', path: 'text', message: 'must not contain NUL (U+0000) characters' });
      const body = Buffer.from(JSON.stringify({ name: 'nul-tenant', description: 'a\u0000b' }));
      const b = problem(await send(srv.url, { method: 'POST', path: '/api/v1/tenants', headers: json, body }), 'VALIDATION_FAILED');
      assert.equal(b.errors?.[0].path, 'description');
      problem(await send(srv.url, { method: 'DELETE', path: '/api/v1/tenants/a%00b', headers: auth }), 'VALIDATION_FAILED');
      // The failed request is still audited, with a storable target.
      const audit = await admin.client.call('audit.list', { query: { action: 'tenants.delete', limit: 1 } });
      assert.equal(audit.items[0].target, 'a\uFFFDb');
      assert.equal(audit.items[0].outcome, 'failure');
    });

    it('answers router rejections as problems: over-long parameters and malformed escapes', async () => {
      problem(await send(srv.url, { method: 'PATCH', path: `/api/v1/users/${'x'.repeat(200)}`, headers: json, body: Buffer.from('{}') }), 'URI_TOO_LONG');
      problem(await send(srv.url, { method: 'GET', path: '/api/v1/users/%zz', headers: auth }), 'BAD_REQUEST');
    });

    it('answers requests the HTTP parser rejects as problems', async () => {
      problem(await sendRaw(srv.url, 'GARBAGE\r\n\r\n'), 'BAD_REQUEST');
      problem(await sendRaw(srv.url, `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`), 'HEADERS_TOO_LARGE');
      const res = await fetch(`${srv.url}/api/v1/health`);
      assert.equal(res.status, 200);
    });
  });
}
