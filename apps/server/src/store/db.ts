import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

/** Which SQL engine a store runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** An open store: the typed query builder and its dialect. */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (bigint, count(*)) as strings; our numbers fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

/** How many prepared SQLite statements are kept; Kysely's SQL is parameterised, so the distinct texts are few (IN-lists of varying length add some). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * A better-sqlite3 database whose `prepare` is memoised by SQL text (least recently used evicted). Kysely's SQLite driver
 * prepares every query anew, which was about a tenth of an authenticated request's CPU. A statement still being iterated
 * (a streamed query) is `busy` and cannot be re-run, so a busy cached statement is bypassed with a fresh one.
 */
export function statementCachingDatabase(sqlite: SQLite.Database, max = STATEMENT_CACHE_SIZE): SqliteDatabase & { cachedStatements(): number } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return sqlite.prepare(sql);
        // Re-inserting moves the entry to the end of the Map's order: the first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
    cachedStatements: () => cache.size,
  };
}

/** Opens SQLite (`sqlite:PATH`, WAL) or PostgreSQL (`postgres://...`). */
export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCachingDatabase(sqlite) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // PostgreSQL closing an idle pooled connection (restart, failover, an administrator) makes the pool emit 'error'; with no
  // listener that would crash the process. The pool has already dropped that client: the next query opens a new one.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
