import type { Kysely, Migration } from 'kysely';

/**
 * Host ports that user-network port forwards bind, one row per (node, protocol, port): the primary key makes two VMs on
 * one node unable to hold the same host port even when their requests race (different tenants, several replicas).
 */
export const m007HostPortClaims: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('host_port_claims')
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('protocol', 'text', (c) => c.notNull())
      .addColumn('host_port', 'integer', (c) => c.notNull())
      .addColumn('vm_id', 'text', (c) => c.notNull().references('vms.id').onDelete('cascade'))
      .addColumn('nic_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('host_port_claims_pk', ['node_id', 'protocol', 'host_port'])
      .execute();
    await db.schema.createIndex('host_port_claims_nic').on('host_port_claims').column('nic_id').execute();
    // The forwards that exist already (the first of any clash kept: such a clash could never start anyway).
    const nics = await db.selectFrom('vm_nics').innerJoin('vms', 'vms.id', 'vm_nics.vm_id')
      .select(['vm_nics.id', 'vm_nics.vm_id', 'vm_nics.port_forwards', 'vms.node_id']).where('vm_nics.port_forwards', '!=', '[]').execute();
    for (const nic of nics) {
      if (!nic.node_id) continue;
      for (const fwd of JSON.parse(nic.port_forwards) as Array<{ protocol: string; hostPort: number }>) {
        await db.insertInto('host_port_claims')
          .values({ node_id: nic.node_id, protocol: fwd.protocol, host_port: fwd.hostPort, vm_id: nic.vm_id, nic_id: nic.id })
          .onConflict((oc) => oc.doNothing()).execute();
      }
    }
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('host_port_claims').execute();
  },
};
