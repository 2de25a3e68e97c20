// The image library through real HTTP with a FAKE agent (which fetches uploads exactly like the real one).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureFakeAgent, settle } from '../testing/compute-fixtures';
import { expectProblem } from '../testing/expect-problem';
import { sha256Hex, type FakeAgent } from '../testing/fake-agent';
import { startTestServer, type TestServer } from '../testing/test-server';
import type { TestUser } from '../testing/test-users';
import { insideImportDirs } from './image.service';

describe('images', () => {
  let srv: TestServer;
  let admin: TestUser;
  let agent: FakeAgent;
  let importDir: string;

  before(async () => {
    importDir = mkdtempSync(join(tmpdir(), 'novacron-import-'));
    mkdirSync(join(importDir, 'sub'));
    srv = await startTestServer({ env: { NOVACRON_IMPORT_DIRS: importDir } });
    admin = await srv.admin();
    agent = await ensureFakeAgent(srv);
  });
  after(async () => {
    await srv.close();
    rmSync(importDir, { recursive: true, force: true });
  });

  it('imports by path only inside NOVACRON_IMPORT_DIRS (traversal refused)', async () => {
    const create = (name: string, path: string) => admin.client.call('images.create', { body: { name, kind: 'kernel', source: { path } } });
    await expectProblem(create('passwd', '/etc/passwd'), 'PATH_NOT_ALLOWED', 400);
    await expectProblem(create('dotdot', `${importDir}/sub/../../etc/passwd`), 'PATH_NOT_ALLOWED', 400);
    await expectProblem(create('dir-itself', importDir), 'PATH_NOT_ALLOWED', 400);
    await expectProblem(create('prefix', `${importDir}-evil/vmlinuz`), 'PATH_NOT_ALLOWED', 400);
    const op = await create('vmlinuz', `${importDir}/sub/vmlinuz`);
    assert.equal(op.kind, 'image.import');
    const { imageId } = (await settle(admin.client, op.id)) as { imageId: string };
    const cmd = agent.received('image.import').at(-1)!.args as { source: { path: string }; importDirs: string[] };
    assert.equal(cmd.source.path, `${importDir}/sub/vmlinuz`);
    assert.deepEqual(cmd.importDirs, [importDir], 'the agent re-checks with realpath against symlink escapes');
    const image = await admin.client.call('images.get', { params: { id: imageId } });
    assert.deepEqual([image.status, image.kind, image.format, image.nodeId], ['ready', 'kernel', 'kernel', agent.nodeId]);
    await expectProblem(create('vmlinuz', `${importDir}/other`), 'ALREADY_EXISTS', 409);
  });

  it('lexical import-dir check', () => {
    assert.equal(insideImportDirs('/srv/images/a.qcow2', ['/srv/images']), true);
    assert.equal(insideImportDirs('/srv/images/../x', ['/srv/images']), false);
    assert.equal(insideImportDirs('/srv/imagesX/a', ['/srv/images/']), false);
    assert.equal(insideImportDirs('/srv/images', ['/srv/images']), false);
  });

  it('imports from a URL; a failed import leaves no image behind', async () => {
    const ok = await admin.client.call('images.create', { body: { name: 'from-url', kind: 'disk', source: { url: 'https://images.example/tiny.qcow2' } } });
    const { imageId } = (await settle(admin.client, ok.id)) as { imageId: string };
    assert.equal((await admin.client.call('images.get', { params: { id: imageId } })).virtualSizeBytes, 2 * 1024 ** 3);
    await expectProblem(admin.client.call('images.create', { body: { name: 'ftp', kind: 'disk', source: { url: 'ftp://x/y' } } }), 'VALIDATION_FAILED', 400);

    const original = agent.handlers['image.import']!;
    agent.handlers['image.import'] = () => ({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the download passed maxBytes' } });
    try {
      const bad = await admin.client.call('images.create', { body: { name: 'too-big', kind: 'iso', source: { url: 'https://images.example/huge.iso' } } });
      const done = await admin.client.call('operations.wait', { params: { id: bad.id }, query: { timeout: 10 } });
      assert.deepEqual([done.status, done.error!.code], ['failed', 'PAYLOAD_TOO_LARGE']);
      assert.equal((await admin.client.call('images.list', { query: { text: 'too-big' } })).items.length, 0);
    } finally {
      agent.handlers['image.import'] = original;
    }
  });

  it('cancelling an import tells the node to stop (command.cancel) and leaves no image behind', async () => {
    const original = agent.handlers['image.import']!;
    agent.handlers['image.import'] = () => new Promise(() => undefined); // a download that never ends
    try {
      const op = await admin.client.call('images.create', { body: { name: 'slow', kind: 'iso', source: { url: 'https://images.example/slow.iso' } } });
      assert.equal(op.mayCancel, true);
      await agent.until(() => agent.received('image.import').some((c) => (c.args as { imageId: string }).imageId === op.resources[0].split('/').at(-1)));
      const commandId = agent.received('image.import').at(-1)!.commandId;
      await admin.client.call('operations.cancel', { params: { id: op.id } });
      const done = await admin.client.call('operations.wait', { params: { id: op.id }, query: { timeout: 10 } });
      assert.equal(done.status, 'cancelled');
      await agent.until(() => agent.cancelled.includes(commandId));
      assert.equal((await admin.client.call('images.list', { query: { text: 'slow' } })).items.length, 0);
    } finally {
      agent.handlers['image.import'] = original;
    }
  });

  it('streams an upload: the node fetches the bytes with its credential and checksums them', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const res = await fetch(`${srv.url}/api/v1/images/upload?name=uploaded&kind=disk`, {
      method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/octet-stream' }, body: bytes,
    });
    assert.equal(res.status, 202);
    const op = (await res.json()) as { id: string; kind: string };
    assert.equal(res.headers.get('location'), `/api/v1/operations/${op.id}`);
    const { imageId } = (await settle(admin.client, op.id)) as { imageId: string };
    const image = await admin.client.call('images.get', { params: { id: imageId } });
    assert.equal(image.sha256, sha256Hex(bytes), 'the node received exactly the uploaded bytes');
    assert.equal(image.sizeBytes, bytes.length);
    assert.equal(image.source.type, 'upload');
    const uploads = join(srv.dataDir, 'uploads');
    assert.ok(!existsSync(uploads) || readdirSync(uploads).length === 0, 'the spooled upload is removed once imported');
  });

  it('guards the agent upload endpoint and the upload content type', async () => {
    const cmd = agent.received('image.import').find((c) => (c.args as { source: { type: string } }).source.type === 'upload')!;
    const uploadId = (cmd.args as { source: { uploadId: string } }).source.uploadId;
    assert.equal((await fetch(`${srv.url}/api/v1/agent/uploads/${uploadId}`)).status, 401);
    assert.equal((await agent.fetchUpload(uploadId, 'ncn_forged')).status, 401);
    assert.equal((await agent.fetchUpload(uploadId)).status, 404, 'gone after the import');
    const json = await fetch(`${srv.url}/api/v1/images/upload?name=j&kind=iso`, {
      method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' }, body: '{}',
    });
    assert.equal(json.status, 415);
    assert.equal(((await json.json()) as { code: string }).code, 'UNSUPPORTED_MEDIA_TYPE');
    const empty = await fetch(`${srv.url}/api/v1/images/upload?name=e&kind=iso`, {
      method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/octet-stream' },
    });
    assert.equal(empty.status, 400);
    assert.equal((await admin.client.call('images.list', { query: { text: 'e' } })).items.filter((i) => i.name === 'e').length, 0);
  });

  it('refuses to delete an image a VM boots from; deletes it on the node otherwise', async () => {
    const op = await admin.client.call('images.create', { body: { name: 'boot-k', kind: 'kernel', source: { url: 'http://x.example/k' } } });
    const { imageId } = (await settle(admin.client, op.id)) as { imageId: string };
    const vmOp = await admin.client.call('vms.create', { body: { name: 'uses-k', vcpus: 1, memoryMiB: 64, boot: { kernelImage: imageId } } });
    const { vmId } = (await settle(admin.client, vmOp.id)) as { vmId: string };
    await expectProblem(admin.client.call('images.delete', { params: { id: imageId } }), 'IN_USE', 409);
    await settle(admin.client, (await admin.client.call('vms.delete', { params: { id: vmId } })).id);
    await admin.client.call('images.delete', { params: { id: imageId } });
    assert.ok(agent.received('image.delete').some((c) => (c.args as { imageId: string }).imageId === imageId));
    await expectProblem(admin.client.call('images.get', { params: { id: imageId } }), 'NOT_FOUND', 404);
  });
});
