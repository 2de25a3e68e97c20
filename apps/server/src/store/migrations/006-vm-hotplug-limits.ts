import type { Kysely, Migration } from 'kysely';

/** How far a VM may grow while it runs (vCPU and DIMM hotplug); null = no live growth, as before. */
export const m006VmHotplugLimits: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('vms').addColumn('max_vcpus', 'integer').execute();
    await db.schema.alterTable('vms').addColumn('max_memory_mib', 'integer').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('vms').dropColumn('max_memory_mib').execute();
    await db.schema.alterTable('vms').dropColumn('max_vcpus').execute();
  },
};
