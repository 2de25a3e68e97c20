import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { statementCachingDatabase } from './db';

describe('SQLite statement cache', () => {
  it('prepares each SQL text once and hands back the same statement', () => {
    const db = statementCachingDatabase(new SQLite(':memory:'));
    const a = db.prepare('select 1 as x');
    assert.equal(db.prepare('select 1 as x'), a);
    assert.notEqual(db.prepare('select 2 as x'), a);
    assert.equal(db.cachedStatements(), 2);
    db.close();
  });

  it('evicts the least recently used statement beyond its size', () => {
    const db = statementCachingDatabase(new SQLite(':memory:'), 2);
    const one = db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 1'); // now most recent
    db.prepare('select 3'); // evicts `select 2`
    assert.equal(db.cachedStatements(), 2);
    assert.equal(db.prepare('select 1'), one);
    db.close();
  });

  it('bypasses a cached statement that is still being iterated', () => {
    const db = statementCachingDatabase(new SQLite(':memory:'));
    const sqlText = 'select value from json_each(?)';
    const first = db.prepare(sqlText);
    const iter = first.iterate(['[1,2,3]']);
    iter.next();
    const second = db.prepare(sqlText);
    assert.notEqual(second, first, 'a busy statement must not be handed out again');
    assert.deepEqual(second.all(['[4]']), [{ value: 4 }]);
    iter.return?.();
    assert.equal(db.prepare(sqlText), first);
    db.close();
  });

  it('runs Kysely reads, writes and transactions with cached statements', async () => {
    const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: statementCachingDatabase(new SQLite(':memory:')) }) });
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    for (let i = 1; i <= 3; i++) await db.insertInto('t').values({ id: i, name: `n${i}` }).execute();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('t').set({ name: 'changed' }).where('id', '=', 2).execute();
    });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.updateTable('t').set({ name: 'rolled back' }).where('id', '=', 3).execute();
        throw new Error('abort');
      }),
    );
    const rows = await db.selectFrom('t').select(['id', 'name']).orderBy('id').execute();
    assert.deepEqual(rows, [{ id: 1, name: 'n1' }, { id: 2, name: 'changed' }, { id: 3, name: 'n3' }]);
    // The same query text with other parameters answers for those parameters.
    assert.equal((await db.selectFrom('t').select('name').where('id', '=', 1).executeTakeFirst())?.name, 'n1');
    assert.equal((await db.selectFrom('t').select('name').where('id', '=', 3).executeTakeFirst())?.name, 'n3');
    await db.destroy();
  });
});
