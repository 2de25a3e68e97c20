import type { Kysely, Migration } from 'kysely';

/** Nodes and join tokens, storage pools, volumes, networks, images, VMs (spec, status, disks, NICs, snapshots), console tickets. */
export const m004Compute: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('nodes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('hostname', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('credential_hash', 'text', (c) => c.unique())
      .addColumn('inventory', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('node_join_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('node_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('storage_pools')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('driver', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('capacity_bytes', 'bigint')
      .addColumn('available_bytes', 'bigint')
      .addColumn('allocation_bytes', 'bigint')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('networks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('driver', 'text', (c) => c.notNull())
      .addColumn('cidr', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('tenant_id', 'text', (c) => c.references('tenants.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('images')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('format', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint')
      .addColumn('virtual_size_bytes', 'bigint')
      .addColumn('sha256', 'text')
      .addColumn('node_id', 'text')
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source_detail', 'text', (c) => c.notNull())
      .addColumn('error_message', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('images_tenant_name', ['tenant_id', 'name'])
      .execute();
    await db.schema
      .createTable('vms')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('node_id', 'text')
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('vcpus', 'integer', (c) => c.notNull())
      .addColumn('memory_mib', 'integer', (c) => c.notNull())
      .addColumn('restart_policy', 'text', (c) => c.notNull())
      .addColumn('power_state', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('shutdown_timeout', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('boot', 'text', (c) => c.notNull())
      .addColumn('cloud_init', 'text')
      .addColumn('is_template', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pending_restart', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('vms_tenant_name', ['tenant_id', 'name'])
      .execute();
    await db.schema.createIndex('vms_node').on('vms').column('node_id').execute();
    // Observed state, written only from agent reports: separate from the spec so neither write clobbers the other.
    await db.schema
      .createTable('vm_status')
      .addColumn('vm_id', 'text', (c) => c.primaryKey().references('vms.id').onDelete('cascade'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('observed_revision', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pid', 'integer')
      .addColumn('accel', 'text')
      .addColumn('since', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('guest', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('vm_status_state').on('vm_status').column('state').execute();
    await db.schema
      .createTable('volumes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('pool_id', 'text', (c) => c.notNull().references('storage_pools.id'))
      .addColumn('node_id', 'text')
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('allocation_bytes', 'bigint')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attached_vm_id', 'text')
      .addColumn('attached_disk_id', 'text')
      .addColumn('owner_vm_id', 'text')
      .addColumn('source_image_id', 'text')
      .addColumn('backing_volume_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('volumes_tenant_name', ['tenant_id', 'name'])
      .execute();
    await db.schema.createIndex('volumes_pool').on('volumes').column('pool_id').execute();
    await db.schema
      .createTable('vm_disks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('vm_id', 'text', (c) => c.notNull().references('vms.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('volume_id', 'text')
      .addColumn('image_id', 'text')
      .addColumn('media', 'text', (c) => c.notNull())
      .addColumn('bus', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('readonly', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('vm_disks_vm').on('vm_disks').column('vm_id').execute();
    await db.schema.createIndex('vm_disks_image').on('vm_disks').column('image_id').execute();
    await db.schema
      .createTable('vm_nics')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('vm_id', 'text', (c) => c.notNull().references('vms.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id'))
      .addColumn('mac', 'text', (c) => c.notNull().unique())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('port_forwards', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await db.schema.createIndex('vm_nics_vm').on('vm_nics').column('vm_id').execute();
    await db.schema
      .createTable('vm_snapshots')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('vm_id', 'text', (c) => c.notNull().references('vms.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('includes_ram', 'integer', (c) => c.notNull())
      .addColumn('vm_state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('vm_snapshots_vm_name', ['vm_id', 'name'])
      .execute();
    await db.schema
      .createTable('console_tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('vm_id', 'text', (c) => c.notNull().references('vms.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
