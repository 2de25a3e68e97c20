import { sql, type Transaction } from 'kysely';
import type { TenantScope } from '../auth/principal';
import { escapeLike } from '../admin/store-errors';
import { scopeValues } from '../compute/tenancy';
import type { Store } from '../store/db';
import type { Database } from '../store/schema';
import { ApiError } from '@novacron/api';
import { isUniqueViolation } from '../admin/store-errors';
import type { HostPortClaimRow, VmDiskRow, VmNicRow, VmRow, VmSnapshotRow, VmStatusRow } from '../store/compute-schema';

/** Filters of a VM list. */
export interface VmListFilter {
  limit: number;
  before?: string;
  state?: string;
  node?: string;
  label?: string;
  text?: string;
  template?: boolean;
}

/** A VM's spec row with its status row. */
export interface VmRecord {
  vm: VmRow;
  status: VmStatusRow | undefined;
}

/** Persistence of VMs: spec, status (written separately), disks, NICs, snapshots. Every read is tenant-scoped. */
export class VmRepository {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  /** One VM inside the scope. */
  async get(id: string, scope: TenantScope): Promise<VmRow | undefined> {
    let q = this.db.selectFrom('vms').selectAll().where('id', '=', id);
    if (scope !== 'all') q = q.where('tenant_id', 'in', scopeValues(scope));
    return q.executeTakeFirst();
  }

  /** Newest first, keyset-paged on id. */
  async list(scope: TenantScope, f: VmListFilter): Promise<VmRow[]> {
    let q = this.db.selectFrom('vms').selectAll('vms').orderBy('vms.id', 'desc').limit(f.limit + 1);
    if (scope !== 'all') q = q.where('vms.tenant_id', 'in', scopeValues(scope));
    if (f.before) q = q.where('vms.id', '<', f.before);
    if (f.node) q = q.where('vms.node_id', '=', f.node);
    if (f.template !== undefined) q = q.where('vms.is_template', '=', f.template ? 1 : 0);
    if (f.state === 'creating') q = q.where('vms.phase', '=', 'creating');
    else if (f.state) {
      const state = f.state;
      q = q.where('vms.phase', '<>', 'creating').where((eb) =>
        eb.exists(eb.selectFrom('vm_status').select('vm_status.vm_id').whereRef('vm_status.vm_id', '=', 'vms.id').where('vm_status.state', '=', state)),
      );
    }
    if (f.text) {
      const pattern = `%${escapeLike(f.text.toLowerCase())}%`;
      q = q.where((eb) => eb.or([
        eb(sql`lower(vms.name)`, 'like', sql`${pattern} escape '\\'`),
        eb(sql`lower(vms.description)`, 'like', sql`${pattern} escape '\\'`),
      ]));
    }
    if (f.label) {
      const eq = f.label.indexOf('=');
      // labels are stored as JSON text with JSON.stringify, so `"key":"value"` appears verbatim
      const needle = eq < 0 ? `${JSON.stringify(f.label)}:` : `${JSON.stringify(f.label.slice(0, eq))}:${JSON.stringify(f.label.slice(eq + 1))}`;
      q = q.where('vms.labels', 'like', sql<string>`${`%${escapeLike(needle)}%`} escape '\\'`);
    }
    return q.execute();
  }

  async nameTaken(tenantId: string, name: string, exceptId?: string): Promise<boolean> {
    let q = this.db.selectFrom('vms').select('id').where('tenant_id', '=', tenantId).where('name', '=', name);
    if (exceptId) q = q.where('id', '<>', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  /** Writes a new VM with its status and the host ports its NICs will bind, all or nothing (CONFLICT if a port is held). */
  async insert(vm: VmRow, status: VmStatusRow, claims: HostPortClaimRow[] = []): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('vms').values(vm).execute();
      await tx.insertInto('vm_status').values(status).execute();
      await insertClaims(tx, claims);
    });
  }

  /** Records the host ports a NIC will bind (CONFLICT if another VM on the node holds one). */
  async claimHostPorts(claims: HostPortClaimRow[]): Promise<void> {
    if (claims.length) await this.db.transaction().execute((tx) => insertClaims(tx, claims));
  }

  /** Frees the host ports of a NIC. */
  async releaseHostPorts(nicId: string): Promise<void> {
    await this.db.deleteFrom('host_port_claims').where('nic_id', '=', nicId).execute();
  }

  /** Writes spec fields; pass `bump` to increase the revision (the node must act on it). Returns the new revision. */
  async updateSpec(id: string, patch: Partial<VmRow>, bump: boolean): Promise<number> {
    await this.db
      .updateTable('vms')
      .set({ ...patch, ...(bump ? { revision: sql<number>`revision + 1` } : {}) })
      .where('id', '=', id)
      .execute();
    const row = await this.db.selectFrom('vms').select('revision').where('id', '=', id).executeTakeFirstOrThrow();
    return Number(row.revision);
  }

  /** Deletes the VM; status, disks, NICs, snapshots and tickets go with it. */
  async delete(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const t of ['vm_status', 'vm_disks', 'vm_nics', 'vm_snapshots', 'console_tickets', 'host_port_claims'] as const) {
        await tx.deleteFrom(t).where('vm_id', '=', id).execute();
      }
      await tx.deleteFrom('vms').where('id', '=', id).execute();
    });
  }

  async status(id: string): Promise<VmStatusRow | undefined> {
    return this.db.selectFrom('vm_status').selectAll().where('vm_id', '=', id).executeTakeFirst();
  }

  async statuses(ids: string[]): Promise<Map<string, VmStatusRow>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('vm_status').selectAll().where('vm_id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.vm_id, r]));
  }

  async writeStatus(row: VmStatusRow): Promise<void> {
    const { vm_id, ...rest } = row;
    await this.db.updateTable('vm_status').set(rest).where('vm_id', '=', vm_id).execute();
  }

  /** VMs in a phase (start-up cleanup of interrupted creates). */
  async inPhase(phase: string): Promise<VmRow[]> {
    return this.db.selectFrom('vms').selectAll().where('phase', '=', phase).execute();
  }

  /** VMs placed on a node (for its desired state). */
  async onNode(nodeId: string): Promise<VmRow[]> {
    return this.db.selectFrom('vms').selectAll().where('node_id', '=', nodeId).orderBy('id').execute();
  }

  async disks(vmIds: string[]): Promise<VmDiskRow[]> {
    if (!vmIds.length) return [];
    return this.db.selectFrom('vm_disks').selectAll().where('vm_id', 'in', vmIds).orderBy('vm_id').orderBy('position').execute();
  }

  async nics(vmIds: string[]): Promise<VmNicRow[]> {
    if (!vmIds.length) return [];
    return this.db.selectFrom('vm_nics').selectAll().where('vm_id', 'in', vmIds).orderBy('vm_id').orderBy('position').execute();
  }

  async insertDisk(row: VmDiskRow): Promise<void> {
    await this.db.insertInto('vm_disks').values(row).execute();
  }

  async deleteDisk(id: string): Promise<void> {
    await this.db.deleteFrom('vm_disks').where('id', '=', id).execute();
  }

  async insertNic(row: VmNicRow): Promise<void> {
    await this.db.insertInto('vm_nics').values(row).execute();
  }

  async deleteNic(id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('host_port_claims').where('nic_id', '=', id).execute();
      await tx.deleteFrom('vm_nics').where('id', '=', id).execute();
    });
  }

  async macTaken(mac: string): Promise<boolean> {
    return (await this.db.selectFrom('vm_nics').select('id').where('mac', '=', mac).executeTakeFirst()) !== undefined;
  }

  /** Whether a VM uses an image (boot kernel/initrd or an ISO disk). */
  async imageUsers(imageId: string): Promise<number> {
    const disks = await this.db.selectFrom('vm_disks').select('id').where('image_id', '=', imageId).execute();
    const boots = await this.db.selectFrom('vms').select('id').where('boot', 'like', `%${JSON.stringify(imageId)}%`).execute();
    return disks.length + boots.length;
  }

  async nicsOnNetwork(networkId: string): Promise<number> {
    const rows = await this.db.selectFrom('vm_nics').select('id').where('network_id', '=', networkId).execute();
    return rows.length;
  }

  async snapshots(vmId: string, limit: number, after?: string): Promise<VmSnapshotRow[]> {
    let q = this.db.selectFrom('vm_snapshots').selectAll().where('vm_id', '=', vmId).orderBy('id', 'asc').limit(limit + 1);
    if (after) q = q.where('id', '>', after);
    return q.execute();
  }

  async snapshot(vmId: string, id: string): Promise<VmSnapshotRow | undefined> {
    return this.db.selectFrom('vm_snapshots').selectAll().where('vm_id', '=', vmId).where('id', '=', id).executeTakeFirst();
  }

  async snapshotNameTaken(vmId: string, name: string): Promise<boolean> {
    return (await this.db.selectFrom('vm_snapshots').select('id').where('vm_id', '=', vmId).where('name', '=', name).executeTakeFirst()) !== undefined;
  }

  async insertSnapshot(row: VmSnapshotRow): Promise<void> {
    await this.db.insertInto('vm_snapshots').values(row).execute();
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.db.deleteFrom('vm_snapshots').where('id', '=', id).execute();
  }

  /** Per tenant: VM count, vCPUs and memory (for quotas). */
  async usage(tenantIds: readonly string[]): Promise<{ tenant_id: string; vms: number; vcpus: number; memory: number }[]> {
    if (!tenantIds.length) return [];
    const rows = await this.db
      .selectFrom('vms')
      .select(['tenant_id', (eb) => eb.fn.countAll<number>().as('vms'), (eb) => eb.fn.sum<number>('vcpus').as('vcpus'), (eb) => eb.fn.sum<number>('memory_mib').as('memory')])
      .where('tenant_id', 'in', [...tenantIds])
      .groupBy('tenant_id')
      .execute();
    return rows.map((r) => ({ tenant_id: r.tenant_id, vms: Number(r.vms), vcpus: Number(r.vcpus), memory: Number(r.memory) }));
  }
}

// The primary key (node, protocol, port) is what stops two racing requests: the second insert fails, and with it the
// transaction. Which VM holds the port is not said: it may belong to another tenant.
async function insertClaims(tx: Transaction<Database>, claims: HostPortClaimRow[]): Promise<void> {
  if (!claims.length) return;
  try {
    await tx.insertInto('host_port_claims').values(claims).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('CONFLICT', `host port ${claims.map((c) => `${c.protocol} ${c.host_port}`).join(' or ')} is already forwarded to another VM on node ${claims[0].node_id}`);
    throw err;
  }
}
