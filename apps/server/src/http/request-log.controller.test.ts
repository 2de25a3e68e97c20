import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ApiError } from '@novacron/api';
import Fastify from 'fastify';
import { registerErrorHandling } from './errors.plugin';
import { logsEveryRequest, RequestLogController } from './request-log.controller';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  responseTime?: number;
  req?: { url: string };
  res?: { statusCode: number };
}

// An app like buildApp's (same controller, same error handling) logging into an array.
async function appLogging(level: string, slowMs: number) {
  const lines: Line[] = [];
  const app = Fastify({
    logger: { level, stream: { write: (l: string) => void lines.push(JSON.parse(l) as Line) } },
    genReqId: () => crypto.randomUUID(),
    logController: new RequestLogController({ everyRequest: logsEveryRequest(level), slowMs }),
  });
  registerErrorHandling(app);
  app.get('/fast', async () => ({ ok: true }));
  app.get('/slow', async () => {
    await sleep(60);
    return { ok: true };
  });
  app.get('/denied', async () => {
    throw new ApiError('FORBIDDEN', 'no');
  });
  app.get('/broken', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return { app, lines };
}

const WARN = 40;
const ERROR = 50;

describe('request logging', () => {
  it('logs every request only at debug and trace', () => {
    assert.deepEqual(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].filter(logsEveryRequest), ['debug', 'trace']);
  });

  it('at info: nothing for fast successes, client errors or unknown routes; warn for slow requests; error with the request id for failures', async () => {
    const { app, lines } = await appLogging('info', 40);
    for (const url of ['/fast', '/denied', '/missing']) await app.inject({ url });
    assert.equal(lines.length, 0, 'fast requests, 4xx and 404 leave no line');

    await app.inject({ url: '/slow' });
    assert.equal(lines.length, 1);
    assert.equal(lines[0].level, WARN);
    assert.equal(lines[0].msg, 'slow request');
    assert.equal(lines[0].req?.url, '/slow');
    assert.ok((lines[0].responseTime ?? 0) >= 40);

    lines.length = 0;
    const res = await app.inject({ url: '/broken' });
    assert.equal(res.statusCode, 500);
    const problem = res.json() as { code: string; requestId: string };
    assert.equal(problem.code, 'INTERNAL');
    assert.ok(problem.requestId, 'problem+json carries the request id');
    assert.ok(lines.length >= 1);
    assert.ok(lines.every((l) => l.level === ERROR && l.reqId === problem.requestId), 'every failure line carries the same request id');
    assert.ok(lines.some((l) => l.msg === 'request failed' && l.res?.statusCode === 500 && l.req?.url === '/broken'));
    await app.close();
  });

  it('with a slow threshold of 0, slow requests are not logged', async () => {
    const { app, lines } = await appLogging('info', 0);
    await app.inject({ url: '/slow' });
    assert.equal(lines.length, 0);
    await app.close();
  });

  it('at debug: Fastify\'s incoming/completed lines for every request', async () => {
    const { app, lines } = await appLogging('debug', 1000);
    await app.inject({ url: '/fast' });
    assert.deepEqual(lines.map((l) => l.msg), ['incoming request', 'request completed']);
    assert.ok(lines[0].reqId && lines[1].reqId === lines[0].reqId, 'both lines carry the request id');
    await app.close();
  });
});
