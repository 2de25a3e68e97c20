import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../lib/clock';
import { openStore, type Store } from '../store/db';
import { migrate } from '../store/migrate';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../testing/test-database';
import { AuditService } from './audit.service';

for (const dialect of TEST_DIALECTS) {
  describe(`audit log on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;
    let audit: AuditService;
    before(async () => {
      database = await createTestDatabase(dialect);
      store = openStore(database.url);
      await migrate(store);
      audit = new AuditService(store, systemClock);
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    const entry = (action: string) => ({
      actorId: 'u1', actorLabel: 'a@example.com', tenantId: 't1', action, target: 'x', outcome: 'success', ip: '127.0.0.1', requestId: 'r',
    });

    it('chains concurrent appends without gaps and verifies', async () => {
      await Promise.all(Array.from({ length: 25 }, (_, i) => audit.append(entry(`test.${i}`))));
      const verdict = await audit.verify();
      assert.equal(verdict.ok, true);
      assert.equal(verdict.entries, 25);
      const seqs = (await store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
      assert.deepEqual(seqs, Array.from({ length: 25 }, (_, i) => i + 1));
    });

    it('reports the first altered entry', async () => {
      await store.db.updateTable('audit_log').set({ outcome: 'failure' }).where('seq', '=', 7).execute();
      const verdict = await audit.verify();
      assert.equal(verdict.ok, false);
      assert.equal(verdict.firstBrokenSeq, 7);
      assert.equal(verdict.reason, 'entry altered');
    });

    it('reports a deleted entry', async () => {
      await store.db.updateTable('audit_log').set({ outcome: 'success' }).where('seq', '=', 7).execute();
      assert.equal((await audit.verify()).ok, true);
      await store.db.deleteFrom('audit_log').where('seq', '=', 12).execute();
      const verdict = await audit.verify();
      assert.equal(verdict.firstBrokenSeq, 12);
    });
  });
}
