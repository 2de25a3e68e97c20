import type { Kysely, Migration } from 'kysely';

/** Indexes the administration queries need: audit filters by tenant and actor, bindings by tenant and role, invites by email. */
export const m003Admin: Migration = {
  async up(db: Kysely<any>) {
    // Tenant-scoped audit pages read newest-first within a tenant.
    await db.schema.createIndex('audit_log_tenant_seq').on('audit_log').columns(['tenant_id', 'seq']).execute();
    await db.schema.createIndex('audit_log_actor_seq').on('audit_log').columns(['actor_id', 'seq']).execute();
    // "Is this tenant or role still used?" checks before deletes.
    await db.schema.createIndex('role_bindings_tenant').on('role_bindings').column('tenant_id').execute();
    await db.schema.createIndex('role_bindings_role').on('role_bindings').column('role_id').execute();
    await db.schema.createIndex('api_tokens_role').on('api_tokens').column('role_id').execute();
    await db.schema.createIndex('one_time_tokens_kind_email').on('one_time_tokens').columns(['kind', 'email']).execute();
  },
};
