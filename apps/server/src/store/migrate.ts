import { Migrator, type Migration } from 'kysely';
import type { Store } from './db';
import { m001Identity } from './migrations/001-identity';
import { m004Compute } from './migrations/004-compute';
import { m002Auth } from './migrations/002-auth';
import { m003Admin } from './migrations/003-admin';
import { m005Groups } from './migrations/005-groups';
import { m006VmHotplugLimits } from './migrations/006-vm-hotplug-limits';
import { m007HostPortClaims } from './migrations/007-host-port-claims';

/** The one ordered migration list, shared by SQLite and PostgreSQL. Append only. */
const migrations: Record<string, Migration> = {
  '001-identity': m001Identity,
  '002-auth': m002Auth,
  '003-admin': m003Admin,
  '004-compute': m004Compute,
  '005-groups': m005Groups,
  '006-vm-hotplug-limits': m006VmHotplugLimits,
  '007-host-port-claims': m007HostPortClaims,
};

/** Brings the schema up to date; throws on the first failing migration. */
export async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '?'} failed: ${(error as Error).message ?? String(error)}`);
  }
}
