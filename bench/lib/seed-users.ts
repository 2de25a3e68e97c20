import type { Insertable } from 'kysely';
import { newId } from '../../apps/server/src/lib/ids';
import { openStore } from '../../apps/server/src/store/db';
import type { UserRow } from '../../apps/server/src/store/schema';

/**
 * Inserts `count` users of one tenant straight into the store in batches (seconds, where the API would take minutes
 * hashing passwords and appending audit entries). Typed against the schema, so a new NOT NULL column breaks the build
 * here rather than the bench at run time.
 */
export async function seedUsers(databaseUrl: string, tenantId: string, count: number, batch = 500): Promise<void> {
  const store = openStore(databaseUrl);
  try {
    const start = Date.now() - count;
    const now = new Date().toISOString();
    for (let i = 0; i < count; i += batch) {
      const rows: Insertable<UserRow>[] = [];
      for (let j = i; j < Math.min(count, i + batch); j++) {
        rows.push({
          id: newId(start + j),
          tenant_id: tenantId,
          email: `bench-${j}@bench.novacron.local`,
          name: `Bench User ${j}`,
          password_hash: null,
          disabled: 0,
          email_verified: 1,
          totp_secret: null,
          totp_enabled: 0,
          recovery_codes: '[]',
          totp_last_step: null,
          created_at: now,
          updated_at: now,
          last_login_at: null,
        });
      }
      await store.db.insertInto('users').values(rows).execute();
    }
  } finally {
    await store.close();
  }
}
