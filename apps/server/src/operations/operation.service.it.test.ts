import { ApiError } from '@novacron/api';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventBus } from '../events/event-bus';
import { systemClock } from '../lib/clock';
import { openStore, type Store } from '../store/db';
import { migrate } from '../store/migrate';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../testing/test-database';
import { OperationRepository } from './operation.repository';
import { OperationService } from './operation.service';

for (const dialect of TEST_DIALECTS) {
  describe(`operations on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let ops: OperationService;
    const bus = new EventBus(systemClock);
    const seen: string[] = [];
    bus.subscribe((e) => seen.push(`${e.type}:${(e.data as { status: string }).status}`));
    const meta = { kind: 'test', tenantId: 't1', resources: ['/api/v1/vms/x'], createdBy: 'u1' };

    before(async () => {
      database = await createTestDatabase(dialect);
      store = openStore(database.url);
      await migrate(store);
      ops = new OperationService(new OperationRepository(store), bus, systemClock);
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    it('runs work in the background, reports progress and the result', async () => {
      const op = await ops.start(meta, async (ctx) => {
        await ctx.progress(50);
        return { imageId: 'img1' };
      });
      assert.equal(op.status, 'running');
      const done = await ops.wait(op.id, 'all', 5000);
      assert.equal(done.status, 'succeeded');
      assert.equal(done.progress, 100);
      assert.deepEqual(done.result, { imageId: 'img1' });
      // The event follows the stored change: `wait` may answer from the row a moment before it is published.
      for (let i = 0; i < 100 && !seen.includes('operation.updated:succeeded'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(seen.includes('operation.updated:succeeded'));
    });

    it('records failures with the error code', async () => {
      const op = await ops.start(meta, async () => {
        throw new ApiError('QUOTA_EXCEEDED', 'too many');
      });
      const done = await ops.wait(op.id, 'all', 5000);
      assert.equal(done.status, 'failed');
      assert.deepEqual(done.error, { code: 'QUOTA_EXCEEDED', message: 'too many' });
    });

    it('cancels cancellable work and refuses the rest', async () => {
      const op = await ops.start({ ...meta, mayCancel: true }, (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))));
      const cancelled = await ops.cancel(op.id, 'all');
      assert.equal(cancelled.status, 'cancelled');
      const other = await ops.start(meta, () => new Promise((r) => setTimeout(r, 200)));
      await assert.rejects(ops.cancel(other.id, 'all'), (e: ApiError) => e.code === 'INVALID_STATE');
      assert.equal((await ops.wait(other.id, 'all', 5000)).status, 'succeeded');
    });

    it('hides operations outside the tenant scope', async () => {
      const op = await ops.start(meta, async () => {});
      await assert.rejects(ops.get(op.id, ['t2']), (e: ApiError) => e.code === 'NOT_FOUND');
      assert.equal((await ops.get(op.id, ['t1'])).id, op.id);
    });

    it('marks operations of a previous process as failed on recovery', async () => {
      const op = await ops.start(meta, () => new Promise(() => {}));
      const fresh = new OperationService(new OperationRepository(store), bus, systemClock);
      assert.ok((await fresh.recover()) >= 1);
      const row = await fresh.get(op.id, 'all');
      assert.equal(row.status, 'failed');
      assert.equal(row.error?.code, 'OPERATION_INTERRUPTED');
    });
  });
}
