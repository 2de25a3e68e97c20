import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { qemuImgCreate, qemuImgInfo } from '../qemu-img';
import { DirStorageDriver } from './dir.driver';

// Against the real qemu-img, in a temp dir.
describe('dir storage driver (real qemu-img)', () => {
  let dir: string;
  const driver = new DirStorageDriver();
  const pool = () => ({ id: 'p1', name: 'p1', driver: 'dir' as const, path: join(dir, 'pool') });
  const MiB = 1024 * 1024;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-dir-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports capability flags and pool capacity from statfs', async () => {
    assert.deepEqual(driver.info().capabilities.formats, ['qcow2', 'raw']);
    const status = await driver.poolStatus(pool());
    assert.equal(status.error, undefined);
    assert.ok(status.capacityBytes > 0 && status.availableBytes > 0 && status.availableBytes <= status.capacityBytes);
    assert.equal(status.allocationBytes, 0);
    assert.equal((await stat(pool().path)).mode & 0o777, 0o700);
  });

  it('creates empty qcow2 and raw volumes at <pool>/<id>.<format>, and refuses to overwrite one', async () => {
    const q = await driver.create(pool(), { volumeId: 'v1', format: 'qcow2', sizeBytes: 64 * MiB });
    assert.equal(q.sizeBytes, 64 * MiB);
    assert.ok(q.allocationBytes < 2 * MiB, 'qcow2 starts small');
    assert.equal((await qemuImgInfo(join(pool().path, 'v1.qcow2'), 'qcow2')).format, 'qcow2');
    const r = await driver.create(pool(), { volumeId: 'v2', format: 'raw', sizeBytes: 8 * MiB });
    assert.equal(r.sizeBytes, 8 * MiB);
    assert.deepEqual(driver.attachment(pool(), 'v2', 'raw'), { type: 'file', path: join(pool().path, 'v2.raw'), format: 'raw' });
    await assert.rejects(driver.create(pool(), { volumeId: 'v1', format: 'qcow2', sizeBytes: MiB }), { code: 'IN_USE' });
    assert.ok((await driver.poolStatus(pool())).allocationBytes > 0);
  });

  it('grows a volume and refuses to shrink it', async () => {
    assert.equal((await driver.resize(pool(), 'v1', 'qcow2', 128 * MiB)).sizeBytes, 128 * MiB);
    await assert.rejects(driver.resize(pool(), 'v1', 'qcow2', 16 * MiB), { code: 'BAD_REQUEST' });
    await assert.rejects(driver.resize(pool(), 'missing', 'qcow2', 16 * MiB), { code: 'NOT_FOUND' });
  });

  it('copies a volume (converting raw to qcow2) and makes linked clones backed by it', async () => {
    await writeFile(join(dir, 'base.raw'), Buffer.alloc(4 * MiB, 7));
    const copy = await driver.create(pool(), { volumeId: 'copy', format: 'qcow2', sizeBytes: 0, from: { path: join(dir, 'base.raw'), format: 'raw' } });
    assert.equal(copy.sizeBytes, 4 * MiB);
    const grown = await driver.create(pool(), { volumeId: 'copy2', format: 'raw', sizeBytes: 16 * MiB, from: { path: join(dir, 'base.raw'), format: 'raw' } });
    assert.equal(grown.sizeBytes, 16 * MiB, 'a copy grows to sizeBytes');
    const base = driver.attachment(pool(), 'copy', 'qcow2');
    const linked = await driver.create(pool(), { volumeId: 'link', format: 'qcow2', sizeBytes: 32 * MiB, from: base, linked: true });
    assert.equal(linked.sizeBytes, 32 * MiB);
    const info = await qemuImgInfo(join(pool().path, 'link.qcow2'), 'qcow2');
    assert.equal(info.backingFile, base.path);
    await assert.rejects(driver.create(pool(), { volumeId: 'rawlink', format: 'raw', sizeBytes: 0, from: base, linked: true }), { code: 'BAD_REQUEST' });
    await assert.rejects(stat(join(pool().path, 'rawlink.raw')), 'a failed create leaves nothing behind');
  });

  it('refuses ids that could leave the pool, and deletes idempotently', async () => {
    await assert.rejects(driver.create(pool(), { volumeId: '../escape', format: 'qcow2', sizeBytes: MiB }), { code: 'BAD_REQUEST' });
    assert.throws(() => driver.attachment({ ...pool(), path: 'relative' }, 'v1', 'qcow2'), { code: 'BAD_REQUEST' });
    await driver.delete(pool(), 'v2', 'raw');
    await driver.delete(pool(), 'v2', 'raw');
    assert.equal(await driver.exists(pool(), 'v2', 'raw'), false);
  });

  it('qemu-img errors surface as IO_ERROR with qemu-img\'s message', async () => {
    await assert.rejects(qemuImgCreate(join(dir, 'nope', 'x.qcow2'), 'qcow2', MiB), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'IO_ERROR');
      assert.match(error.message, /qemu-img create failed/);
      return true;
    });
  });
});
