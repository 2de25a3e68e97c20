import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { importImage } from './image-import';
import { ImageStore } from './image-store';

// Image import against real files, a real HTTP server and the real qemu-img.
describe('image import', () => {
  let dir: string;
  let allowed: string;
  let store: ImageStore;
  let server: http.Server;
  let base: string;
  const seenAuth: Array<string | undefined> = [];
  const body = Buffer.alloc(300_000, 0x5a);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-import-'));
    allowed = join(dir, 'allowed');
    await mkdir(allowed);
    store = new ImageStore(join(dir, 'store'));
    await store.cleanStaging();
    server = http.createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      if (req.url === '/ok.img' || req.url?.startsWith('/api/v1/agent/uploads/')) return void res.writeHead(200, { 'content-length': body.length }).end(body);
      if (req.url === '/chunked.img') {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write(body);
        return void res.end();
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ctx = { signal: new AbortController().signal, progress: () => {}, serverUrl: '', nodeCredential: () => 'ncn_secret' };
  const run = (imageId: string, kind: 'disk' | 'iso' | 'kernel' | 'initrd', source: object, maxBytes = 1 << 30) =>
    importImage(store, { imageId, kind, source: source as never, importDirs: [allowed], maxBytes }, { ...ctx, serverUrl: base });

  it('imports a file inside an import dir with its sha256, atomically, and answers a repeat without redoing it', async () => {
    const file = join(allowed, 'initrd.img');
    await writeFile(file, body);
    const result = await run('i1', 'initrd', { type: 'path', path: file });
    assert.deepEqual(result, { format: 'initrd', sizeBytes: body.length, virtualSizeBytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    const stored = await store.require('i1');
    assert.deepEqual(await readFile(stored.path), body);
    await writeFile(file, 'changed');
    assert.deepEqual(await run('i1', 'initrd', { type: 'path', path: file }), result);
  });

  it('refuses traversal, symlink escapes, directories, FIFOs and paths when no import dir exists', async () => {
    await writeFile(join(dir, 'secret'), 'secret');
    await symlink(join(dir, 'secret'), join(allowed, 'link-out'));
    await symlink(dir, join(allowed, 'dir-out'));
    execFileSync('mkfifo', [join(allowed, 'fifo')]);
    for (const path of [join(allowed, '..', 'secret'), join(allowed, 'link-out'), join(allowed, 'dir-out', 'secret'), allowed, join(allowed, 'fifo'), 'relative/path']) {
      await assert.rejects(run('x1', 'initrd', { type: 'path', path }), { code: 'FORBIDDEN_PATH' }, path);
    }
    await assert.rejects(run('x1', 'initrd', { type: 'path', path: join(allowed, 'missing') }), { code: 'NOT_FOUND' });
    await assert.rejects(importImage(store, { imageId: 'x1', kind: 'initrd', source: { type: 'path', path: join(allowed, 'initrd.img') }, importDirs: [], maxBytes: 10 }, ctx), { code: 'FORBIDDEN_PATH' });
    assert.equal(await store.get('x1'), undefined);
  });

  it('enforces maxBytes for files, Content-Length and streamed bodies without a length', async () => {
    await writeFile(join(allowed, 'big'), body);
    await assert.rejects(run('b1', 'initrd', { type: 'path', path: join(allowed, 'big') }, 1000), { code: 'PAYLOAD_TOO_LARGE' });
    await assert.rejects(run('b2', 'initrd', { type: 'url', url: `${base}/ok.img` }, 1000), { code: 'PAYLOAD_TOO_LARGE' });
    await assert.rejects(run('b3', 'initrd', { type: 'url', url: `${base}/chunked.img` }, body.length * 2), { code: 'PAYLOAD_TOO_LARGE' });
    assert.equal(await store.get('b3'), undefined);
  });

  it('imports from a URL and from an upload (with the node credential); a 404 is NOT_FOUND', async () => {
    assert.equal((await run('u1', 'initrd', { type: 'url', url: `${base}/ok.img` })).sizeBytes, body.length);
    seenAuth.length = 0;
    assert.equal((await run('u2', 'initrd', { type: 'upload', uploadId: 'up1', sizeBytes: body.length })).sizeBytes, body.length);
    assert.deepEqual(seenAuth, ['Node ncn_secret']);
    await assert.rejects(run('u3', 'initrd', { type: 'url', url: `${base}/missing` }), { code: 'NOT_FOUND' });
  });

  it('keeps qcow2 and raw disks, converts other formats to qcow2, refuses backing files and non-images', async () => {
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(allowed, 'd.qcow2'), '32M']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'vdi', join(allowed, 'd.vdi'), '16M']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', join(dir, 'secret'), join(allowed, 'evil.qcow2')]);
    await writeFile(join(allowed, 'd.raw'), Buffer.alloc(1024 * 1024));
    assert.deepEqual(await pick(run('q1', 'disk', { type: 'path', path: join(allowed, 'd.qcow2') })), { format: 'qcow2', virtualSizeBytes: 32 << 20 });
    assert.deepEqual(await pick(run('r1', 'disk', { type: 'path', path: join(allowed, 'd.raw') })), { format: 'raw', virtualSizeBytes: 1 << 20 });
    const vdi = await run('v1', 'disk', { type: 'path', path: join(allowed, 'd.vdi') });
    assert.deepEqual({ format: vdi.format, virtualSizeBytes: vdi.virtualSizeBytes }, { format: 'qcow2', virtualSizeBytes: 16 << 20 });
    assert.equal(vdi.sha256, createHash('sha256').update(await readFile((await store.require('v1')).path)).digest('hex'), 'checksum of the converted file');
    await assert.rejects(run('e1', 'disk', { type: 'path', path: join(allowed, 'evil.qcow2') }), { code: 'BAD_REQUEST' });
    await assert.rejects(run('k1', 'kernel', { type: 'path', path: join(allowed, 'd.raw') }), { code: 'BAD_REQUEST' });
    await assert.rejects(run('c1', 'iso', { type: 'path', path: join(allowed, 'd.raw') }), { code: 'BAD_REQUEST' });
    await assert.rejects(stat(join(dir, 'store', 'e1')));
  });

  it('deletes images idempotently and refuses ids that are not protocol ids', async () => {
    await store.delete('r1');
    await store.delete('r1');
    assert.equal(await store.get('r1'), undefined);
    await assert.rejects(store.get('../x'), { code: 'BAD_REQUEST' });
  });
});

async function pick(p: Promise<{ format: string; virtualSizeBytes: number }>): Promise<{ format: string; virtualSizeBytes: number }> {
  const { format, virtualSizeBytes } = await p;
  return { format, virtualSizeBytes };
}
