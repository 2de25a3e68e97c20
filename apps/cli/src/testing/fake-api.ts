import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../io';

/** A canned answer of the fake API. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  delayMs?: number;
}

/** One request the fake API received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
  body?: unknown;
}

/** A problem+json answer. */
export function problem(status: number, code: string, detail = code.toLowerCase()): FakeAnswer {
  return { status, body: { type: 'about:blank', title: code, status, detail, code } };
}

/** A fetch that answers from a handler and records requests: unit tests of the CLI without a server. */
export function fakeFetch(handler: (req: FakeRequest) => FakeAnswer | undefined): { fetch: typeof fetch; requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const req: FakeRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: headers.authorization,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    requests.push(req);
    const answer = handler(req) ?? problem(404, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.path}`);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': answer.status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  };
  return { fetch: impl as typeof fetch, requests };
}

/** Streams for an in-process CLI run: stdin from text, stdout and stderr captured. */
export function captureIo(env: Record<string, string | undefined>, stdinText = ''): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  return {
    stdin: Readable.from([stdinText]),
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    env,
    out: () => out,
    err: () => err,
  };
}

/** A JWT-shaped token expiring at `expSeconds` (unsigned: the CLI only reads `exp`). */
export function fakeJwt(expSeconds: number, id = 'x'): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'EdDSA' })}.${part({ sub: id, exp: expSeconds })}.sig`;
}
