import { request } from 'node:http';
import { connect } from 'node:net';
import type { RouteDef } from '@novacron/api';
import fc from 'fast-check';
import { asStrings, sampleOf } from '../testing/schema-sample';

/** One HTTP request as the fuzzer builds it. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What came back. */
export interface FuzzAnswer {
  status: number;
  type: string;
  text: string;
}

const nasty = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '💥', '__proto__', 'constructor', 'prototype', 'null', 'true', '0', '-1', '1e309', 'NaN',
  "'; drop table users; --", '%', '_', '\\', '%00', '../../etc/passwd', '<script>', '${jndi}', 'x'.repeat(70), 'x'.repeat(5000),
];

/** Strings that break naive code: NUL, lone surrogates, SQL and LIKE metacharacters, huge ones. */
export const nastyString = fc.oneof(
  { arbitrary: fc.constantFrom(...nasty), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 6 },
  { arbitrary: fc.constant('y'.repeat(100_000)), weight: 1 },
);

const scalar = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 31, 1e308, -0, 0.5),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value, biased towards wrong types and nasty strings. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'name', 'id', 'email', 'tenantId', 'roles'), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 5 }),
})).value;

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Bodies for a route: the valid sample with one field broken, unknown fields, wrong shapes, deep nesting. */
export function jsonBodies(def: RouteDef): fc.Arbitrary<unknown | { raw: string }> {
  const sample = def.body ? sampleOf(def.body) : undefined;
  const base = sample && typeof sample === 'object' && !Array.isArray(sample) ? (sample as Record<string, unknown>) : {};
  const keys = Object.keys(base);
  const variants: fc.Arbitrary<unknown>[] = [
    anyJson,
    fc.record({ extra: fc.string({ maxLength: 10 }), value: anyJson }).map(({ extra, value }) => ({ ...base, [`x${extra}`]: value })),
    fc.constantFrom(500, 5_000, 100_000).chain((d) => fc.constantFrom('array', 'object').map((k) => ({ raw: nested(d, k as 'array' | 'object') }))),
  ];
  if (keys.length) {
    variants.push(fc.record({ key: fc.constantFrom(...keys), value: anyJson }).map(({ key, value }) => ({ ...base, [key]: value })));
    variants.push(fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key))));
  }
  if (Array.isArray(sample)) variants.push(fc.array(anyJson, { maxLength: 200 }));
  return fc.oneof(...variants);
}

/** Raw bodies with wrong or lying content types, including non-JSON under application/json. */
export const rawBodies = fc.record({
  contentType: fc.constantFrom(
    'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=latin1',
    'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/xml',
    'application/problem+json', 'application/json-patch+json', '*/*', '', 'garbage', 'application/json;;;',
  ),
  body: fc.oneof(
    { arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)), weight: 4 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)), weight: 4 },
    { arbitrary: fc.constantFrom('{', '{"a":', 'nul', '[1,2', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\uFEFF{}', '1e99999', '"\\ud800"', '{}').map((s) => Buffer.from(s)), weight: 4 },
    { arbitrary: fc.constant(Buffer.alloc(1024 * 1024 + 10, 0x61)), weight: 1 },
  ),
});

/** Query strings: the route's own keys with wrong values, unknown keys, repeated keys, encoded junk. */
export function queries(def: RouteDef): fc.Arbitrary<string> {
  const sample = def.query ? asStrings(sampleOf(def.query)) : {};
  const own = def.query ? Object.keys(((def.query as unknown as { shape?: Record<string, unknown> }).shape ?? {})) : [];
  const key = fc.oneof(fc.constantFrom(...own, 'limit', 'cursor', '__proto__', 'constructor', 'a[b]', 'a[]', ''), fc.string({ maxLength: 8 }));
  const value = fc.oneof(nastyString.map((s) => s.slice(0, 6000)), fc.integer().map(String), fc.constantFrom('-1', '0', '1e3', '0x10', '99999999999999999999', 'true'));
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 6 });
  return fc.oneof(
    pairs.map((p) => new URLSearchParams([...Object.entries(sample), ...p]).toString()),
    fc.constantFrom('%', '%zz', '&&&', '=', 'a=%E0%A4%A', '%00=%00', 'limit=1&limit=2', 'cursor[]=x', 'a'.repeat(6000)),
  );
}

/** Path parameter values: valid-looking, random, encoded junk, huge. */
export const paramValues = fc.oneof(
  fc.constantFrom('01zzzzzzzzzzzzzzzzzzzzzz', '%', '%zz', '%00', '..', '.', '%2F', 'a%2Fb', 'x'.repeat(65), 'x'.repeat(4000), '💥', '\u0000'),
  fc.string({ minLength: 1, maxLength: 30 }),
);

/** Header variations: broken or foreign credentials, odd Accept values. */
export function headerSets(adminToken: string): fc.Arbitrary<Record<string, string>> {
  const auth = fc.oneof(
    fc.constant<string | null>(null),
    fc.constant(`Bearer ${adminToken}`),
    fc.constant(`Bearer ${adminToken}`),
    fc.constantFrom('Bearer', 'Bearer ', 'Bearer  x', 'Basic YTpi', 'bearer nct_x', `Bearer ${'x'.repeat(8000)}`, `Bearer ${adminToken}x`, 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Token abc'),
    fc.string({ maxLength: 60 }).filter((s) => /^[\x20-\x7e]*$/.test(s)).map((s) => `Bearer ${s}`),
  );
  const accept = fc.constantFrom(undefined, 'application/json', 'text/html', '*/*', 'application/xml', 'garbage/;;');
  return fc.record({ auth, accept }).map(({ auth: a, accept: acc }) => {
    const h: Record<string, string> = {};
    if (a !== null) h.authorization = a;
    if (acc) h.accept = acc;
    return h;
  });
}

/** Fills a route path with values. */
export function fillPath(def: RouteDef, value: (name: string) => string): string {
  return def.path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));
}

/** Sends one request on a fresh connection and reads the answer. */
export function send(baseUrl: string, req: FuzzRequest): Promise<FuzzAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}), connection: 'close' }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.setTimeout(30_000, () => r.destroy(new Error(`timeout: ${req.method} ${req.path.slice(0, 200)}`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Sends raw bytes (requests node's HTTP client refuses to build) and reads the status line, headers and body. */
export function sendRaw(baseUrl: string, raw: string): Promise<FuzzAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const type = /^content-type:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
      resolve({ status, type, text: rest.join('\r\n\r\n') });
    });
    socket.end(raw);
  });
}
