import type { CommandArgs } from '@novacron/api';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AgentError } from '../lib/agent-error';
import { openImportFile } from './import-path';

/** What fetching an image's bytes needs besides the source. */
export interface FetchContext {
  importDirs: readonly string[];
  maxBytes: number;
  signal: AbortSignal;
  /** Called with bytes copied so far and the total when known. */
  onBytes(copied: number, total: number | undefined): void;
  /** The control plane's base URL and this node's credential, for uploads. */
  serverUrl: string;
  nodeCredential(): string | undefined;
}

/** Copies an image source into `dest` (streamed, size-limited) and returns its size and SHA-256. */
export async function fetchImageSource(
  source: CommandArgs<'image.import'>['source'],
  dest: string,
  ctx: FetchContext,
): Promise<{ sizeBytes: number; sha256: string }> {
  if (source.type === 'path') {
    const file = await openImportFile(source.path, ctx.importDirs);
    try {
      if (file.sizeBytes > ctx.maxBytes) throw tooLarge(file.sizeBytes, ctx.maxBytes);
      return await copy(file.handle.createReadStream({ autoClose: false }), dest, file.sizeBytes, ctx);
    } finally {
      await file.handle.close();
    }
  }
  const url = source.type === 'url' ? source.url : new URL(`/api/v1/agent/uploads/${encodeURIComponent(source.uploadId)}`, ctx.serverUrl).href;
  const headers: Record<string, string> = {};
  if (source.type === 'upload') {
    const credential = ctx.nodeCredential();
    if (!credential) throw new AgentError('INVALID_STATE', 'no node credential to fetch an upload with');
    headers.authorization = `Node ${credential}`;
  }
  if (!/^https?:$/.test(new URL(url).protocol)) throw new AgentError('BAD_REQUEST', `only http and https URLs can be imported`);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: ctx.signal, redirect: 'follow' });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new AgentError('IO_ERROR', `cannot fetch ${redact(url)}: ${(error as Error).cause ? String(((error as Error).cause as Error).message) : (error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new AgentError(response.status === 404 ? 'NOT_FOUND' : 'IO_ERROR', `fetching ${redact(url)} answered HTTP ${response.status}`);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > ctx.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    throw tooLarge(length, ctx.maxBytes);
  }
  return copy(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), dest, Number.isFinite(length) ? length : undefined, ctx);
}

async function copy(input: Readable, dest: string, total: number | undefined, ctx: FetchContext): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let copied = 0;
  let lastReport = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      copied += chunk.length;
      // Count, not trust: a server may send more than its Content-Length promised, a file may grow while read.
      if (copied > ctx.maxBytes) return done(tooLarge(copied, ctx.maxBytes));
      hash.update(chunk);
      if (Date.now() - lastReport > 250) {
        lastReport = Date.now();
        ctx.onBytes(copied, total);
      }
      done(null, chunk);
    },
  });
  await pipeline(input, meter, createWriteStream(dest, { flags: 'wx', mode: 0o600 }), { signal: ctx.signal });
  ctx.onBytes(copied, total);
  return { sizeBytes: copied, sha256: hash.digest('hex') };
}

function tooLarge(size: number, max: number): AgentError {
  return new AgentError('PAYLOAD_TOO_LARGE', `image is larger than the limit of ${max} bytes (${size} bytes or more)`);
}

// URLs may carry credentials (user:pass@ or signed query strings); keep them out of errors and logs.
function redact(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}
