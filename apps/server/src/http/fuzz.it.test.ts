// The API fuzzer: for every route of the contract, malformed bodies, content types, query strings, path values and
// headers, unauthenticated and as an admin. Whatever comes in, the answer is never a 5xx, and every error is
// application/problem+json with a known code whose status matches. Time-boxed: NOVACRON_FUZZ_SECONDS (default 40) is
// shared by both dialects and all routes; each property runs in batches of 3 until its slice is used up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorCodes, routes, type ErrorCode, type RouteDef } from '@novacron/api';
import fc from 'fast-check';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { TEST_DIALECTS } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { asStrings, sampleOf } from '../testing/schema-sample';
import { fillPath, headerSets, jsonBodies, paramValues, queries, rawBodies, send, sendRaw, type FuzzAnswer, type FuzzRequest } from './fuzz-requests';

const all = Object.entries(routes as Record<string, RouteDef>);
const BUDGET_MS = Number(process.env.NOVACRON_FUZZ_SECONDS ?? 40) * 1000;
// Three properties per route, every route, both dialects.
const SLICE_MS = Math.max(50, Math.floor(BUDGET_MS / TEST_DIALECTS.length / all.length / 3));
let requests = 0;

/** The checks every answer must pass. */
function check(req: FuzzRequest, a: FuzzAnswer): void {
  const what = `${req.method} ${req.path.slice(0, 120)} [${req.headers['content-type'] ?? '-'}] ${req.body ? req.body.subarray(0, 80).toString() : ''}`;
  assert.ok(a.status >= 200 && a.status < 500, `${what} → ${a.status} ${a.text.slice(0, 300)}`);
  if (a.status < 400) return;
  assert.match(a.type, /^application\/problem\+json/, `${what} → ${a.status} with content-type ${a.type}: ${a.text.slice(0, 200)}`);
  const problem = JSON.parse(a.text) as { code?: string; status?: number };
  assert.ok(problem.code && problem.code in errorCodes, `${what} → unknown code ${problem.code}`);
  assert.equal(errorCodes[problem.code as ErrorCode], a.status, `${what} → code ${problem.code} with status ${a.status}`);
  assert.equal(problem.status, a.status, `${what} → body status`);
}

/** Runs a property in small batches until its time slice is used (at least one batch, so a loaded machine still fuzzes);
 * a failure reports fast-check's shrunk counterexample and the assertion that failed. */
async function holds<T>(property: fc.IAsyncProperty<T>): Promise<void> {
  const start = Date.now();
  do {
    const details = await fc.check(property, { numRuns: 3 });
    requests += details.numRuns;
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`counterexample (seed ${details.seed}, path ${details.counterexamplePath}): ${JSON.stringify(details.counterexample)?.slice(0, 2000)}\n${cause}`);
    }
  } while (Date.now() - start < SLICE_MS);
}

for (const dialect of TEST_DIALECTS) {
  describe(`API fuzzing on ${dialect}`, () => {
    let srv: TestServer;
    let smtp: SMTPServer;
    let adminId: string;
    let settingsSnapshot: string;
    let startCount = 0;

    async function adminToken(): Promise<string> {
      const user = await srv.services.identity.accounts.userById(adminId);
      assert.ok(user);
      return (await srv.services.identity.sessions.start(user, { ip: '127.0.0.1', userAgent: 'fuzz' })).accessToken;
    }

    // Each route starts from the same settings, so fuzzing PATCH /settings cannot spill into other routes.
    async function restoreSettings(): Promise<void> {
      await srv.services.settings.update(JSON.parse(settingsSnapshot));
    }

    before(async () => {
      smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, onData: (s, _session, cb) => s.on('end', () => cb()).resume() });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      startCount = requests;
      srv = await startTestServer({ dialect });
      adminId = (await srv.admin()).user.id;
      await srv.services.settings.update({ smtp: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, secure: false } });
      settingsSnapshot = JSON.stringify(await srv.services.settings.internal());
    });
    after(async () => {
      console.log(`fuzz on ${dialect}: ${requests - startCount} requests (${SLICE_MS} ms per property)`);
      await srv.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    for (const [id, def] of all) {
      it(`${id}: ${def.method} ${def.path}`, async () => {
        await restoreSettings();
        const token = await adminToken();
        const sampleParams = def.params ? asStrings(sampleOf(def.params)) : {};
        const validPath = fillPath(def, (name) => encodeURIComponent(sampleParams[name] ?? '01zzzzzzzzzzzzzzzzzzzzzz'));
        const validQuery = def.query ? new URLSearchParams(asStrings(sampleOf(def.query))).toString() : '';
        const at = (path: string, query: string) => (query ? `${path}?${query}` : path);

        // Bodies: JSON that is wrong in shape, type, size or depth.
        await holds(
          fc.asyncProperty(jsonBodies(def), headerSets(token), async (body, headers) => {
            const raw = body && typeof body === 'object' && 'raw' in (body as object) ? (body as { raw: string }).raw : JSON.stringify(body);
            const req = { method: def.method, path: at(validPath, validQuery), headers: { ...headers, 'content-type': 'application/json' }, body: Buffer.from(raw ?? 'null') };
            check(req, await send(srv.url, req));
          }),
        );
        // Raw bytes under any content type.
        await holds(
          fc.asyncProperty(rawBodies, headerSets(token), async ({ contentType, body }, headers) => {
            const req = { method: def.method, path: at(validPath, validQuery), headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) }, body };
            check(req, await send(srv.url, req));
          }),
        );
        // Query strings and path values.
        const sampleBody = def.body ? Buffer.from(JSON.stringify(sampleOf(def.body))) : undefined;
        await holds(
          fc.asyncProperty(queries(def), paramValues, headerSets(token), async (query, param, headers) => {
            const path = fillPath(def, () => encodeURIComponent(param));
            const req = { method: def.method, path: at(path, query), headers: { ...headers, ...(sampleBody ? { 'content-type': 'application/json' } : {}) }, body: sampleBody };
            check(req, await send(srv.url, req));
          }),
        );
      });
    }

    it('answers protocol-level garbage without crashing', async () => {
      const raws = [
        'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header: x\r\n\r\n',
        `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
        'GARBAGE\r\n\r\n',
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}',
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
        `GET /api/v1/${'%'.repeat(3)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      ];
      for (const raw of raws) {
        const a = await sendRaw(srv.url, raw);
        assert.ok(a.status >= 400 && a.status < 500, `${JSON.stringify(raw.slice(0, 60))} → ${a.status}`);
      }
      const health = await fetch(`${srv.url}/api/v1/health`);
      assert.equal(health.status, 200, 'the server still answers');
    });
  });
}
