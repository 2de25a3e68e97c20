import { sql, type Kysely, type Migration } from 'kysely';

/** Groups of users, their members and their role bindings (a group's binding applies to every member). */
export const m005Groups: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // A tenant's group goes with its tenant; null = a global group.
      .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Names are unique per tenant and among global groups; NULLs never clash in a plain unique index, hence the coalesce.
    await sql`CREATE UNIQUE INDEX groups_tenant_name ON "groups" (coalesce(tenant_id, ''), name)`.execute(db);
    await db.schema
      .createTable('group_members')
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
      .execute();
    // The per-request access query walks user → memberships → group bindings.
    await db.schema.createIndex('group_members_user').on('group_members').columns(['user_id', 'group_id']).execute();
    await db.schema
      .createTable('group_role_bindings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
      .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
      .addColumn('tenant_id', 'text', (c) => c.references('tenants.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('group_role_bindings_group').on('group_role_bindings').column('group_id').execute();
    // "Is this role still used?" before a role delete.
    await db.schema.createIndex('group_role_bindings_role').on('group_role_bindings').column('role_id').execute();
    await db.schema.createIndex('group_role_bindings_tenant').on('group_role_bindings').column('tenant_id').execute();
  },
};
