import { defineRoute } from '@novacron/api';
import Fastify from 'fastify';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import type { AuditEntry, AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { registerErrorHandling } from './errors.plugin';
import { registerRoutes } from './register-routes';

const routes = {
  'thing.create': defineRoute({
    method: 'POST', path: '/things/{id}', access: 'vm:write', summary: 's', tag: 't',
    params: z.strictObject({ id: z.string().regex(/^[a-z]+$/) }),
    body: z.strictObject({ size: z.number().int().min(1) }),
    response: z.object({ id: z.string(), size: z.number() }),
    status: 201,
  }),
  'thing.get': defineRoute({
    method: 'GET', path: '/things', access: 'authenticated', summary: 's', tag: 't',
    query: z.strictObject({ limit: z.coerce.number().int().max(10).default(5) }),
    response: z.object({ limit: z.number() }),
  }),
};

const principal = (perms: string[]): Principal => ({
  kind: 'user', userId: 'u1', email: 'a@b.io', tenantId: 't1', global: new Set(perms) as never, byTenant: new Map(),
});

describe('registerRoutes', () => {
  const app = Fastify();
  const audited: AuditEntry[] = [];
  const audit = { append: async (e: AuditEntry) => void audited.push(e) } as unknown as AuditService;
  before(async () => {
    registerErrorHandling(app);
    registerRoutes(app, {
      audit,
      events: { publish: () => undefined },
      authenticate: async (req) => {
        const h = req.headers.authorization;
        return h === 'Bearer writer' ? principal(['vm:write']) : h === 'Bearer reader' ? principal(['vm:read']) : null;
      },
    }, routes, {
      'thing.create': ({ params, body }) => ({ id: params.id, size: body.size, secret: 'leak' } as never),
      'thing.get': ({ query }) => ({ limit: query.limit }),
    });
    await app.ready();
  });
  after(() => app.close());

  const post = (auth: string | null, body: unknown, id = 'abc') =>
    app.inject({ method: 'POST', url: `/things/${id}`, headers: auth ? { authorization: `Bearer ${auth}` } : {}, payload: body as object });

  it('answers 401, then 403 (audited as denied), then success with the declared status', async () => {
    assert.equal((await post(null, { size: 1 })).statusCode, 401);
    const denied = await post('reader', { size: 1 });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().code, 'FORBIDDEN');
    assert.equal(audited.at(-1)?.action, 'permission.denied');
    const ok = await post('writer', { size: 3 });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(ok.json(), { id: 'abc', size: 3 }, 'fields outside the response schema are not serialised');
    assert.equal(audited.at(-1)?.action, 'thing.create');
    assert.equal(audited.at(-1)?.target, 'abc');
  });

  it('rejects unknown fields and names failing fields as problem+json', async () => {
    const res = await post('writer', { size: 0, extra: true }, 'ABC');
    assert.equal(res.statusCode, 400);
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    const problem = res.json();
    assert.equal(problem.code, 'VALIDATION_FAILED');
    const paths = problem.errors.map((e: { in: string; path: string }) => `${e.in}:${e.path}`).sort();
    assert.deepEqual(paths, ['body:extra', 'body:size', 'params:id']);
  });

  it('coerces and bounds query parameters', async () => {
    const ok = await app.inject({ url: '/things?limit=7', headers: { authorization: 'Bearer reader' } });
    assert.deepEqual(ok.json(), { limit: 7 });
    const bad = await app.inject({ url: '/things?limit=70&x=1', headers: { authorization: 'Bearer reader' } });
    assert.equal(bad.statusCode, 400);
  });

  it('turns malformed JSON into a 400 problem', async () => {
    const res = await app.inject({ method: 'POST', url: '/things/abc', headers: { authorization: 'Bearer writer', 'content-type': 'application/json' }, payload: '{"size":' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'BAD_REQUEST');
  });
});
