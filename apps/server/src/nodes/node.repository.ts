import type { Store } from '../store/db';
import type { NodeJoinTokenRow, NodeRow } from '../store/compute-schema';

/** What the VMs placed on each node ask for. */
export interface NodeAllocation {
  vms: number;
  vcpus: number;
  memoryMiB: number;
}

/** Persistence of nodes and their join tokens. Nodes are global (not tenant-owned). */
export class NodeRepository {
  constructor(private readonly store: Store) {}

  async insert(row: NodeRow): Promise<void> {
    await this.store.db.insertInto('nodes').values(row).execute();
  }

  async get(id: string): Promise<NodeRow | undefined> {
    return this.store.db.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byName(name: string): Promise<NodeRow | undefined> {
    return this.store.db.selectFrom('nodes').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async byCredentialHash(hash: string): Promise<NodeRow | undefined> {
    return this.store.db.selectFrom('nodes').selectAll().where('credential_hash', '=', hash).executeTakeFirst();
  }

  /** Oldest first, keyset-paged on id. */
  async list(opts: { limit: number; after?: string; state?: string }): Promise<NodeRow[]> {
    let q = this.store.db.selectFrom('nodes').selectAll().orderBy('id', 'asc').limit(opts.limit + 1);
    if (opts.after) q = q.where('id', '>', opts.after);
    if (opts.state) q = q.where('state', '=', opts.state);
    return q.execute();
  }

  async all(): Promise<NodeRow[]> {
    return this.store.db.selectFrom('nodes').selectAll().orderBy('id').execute();
  }

  async update(id: string, patch: Partial<NodeRow>): Promise<void> {
    await this.store.db.updateTable('nodes').set(patch).where('id', '=', id).execute();
  }

  /** At start no agent is connected yet. */
  async markAllOffline(now: string): Promise<void> {
    await this.store.db.updateTable('nodes').set({ state: 'offline', updated_at: now }).where('state', '<>', 'offline').execute();
  }

  async delete(id: string): Promise<void> {
    await this.store.db.deleteFrom('nodes').where('id', '=', id).execute();
  }

  /** VMs on the given nodes, and what those meant to run ask for. */
  async allocations(): Promise<Map<string, NodeAllocation>> {
    const rows = await this.store.db
      .selectFrom('vms')
      .select(['node_id', 'vcpus', 'memory_mib', 'power_state'])
      .where('node_id', 'is not', null)
      .execute();
    const out = new Map<string, NodeAllocation>();
    for (const r of rows) {
      const a = out.get(r.node_id!) ?? { vms: 0, vcpus: 0, memoryMiB: 0 };
      a.vms += 1;
      if (r.power_state !== 'stopped') {
        a.vcpus += Number(r.vcpus);
        a.memoryMiB += Number(r.memory_mib);
      }
      out.set(r.node_id!, a);
    }
    return out;
  }

  async insertJoinToken(row: NodeJoinTokenRow): Promise<void> {
    await this.store.db.insertInto('node_join_tokens').values(row).execute();
  }

  /** Marks an unused, unexpired token used; true when this call consumed it (single use even under races). */
  async consumeJoinToken(hash: string, now: string): Promise<NodeJoinTokenRow | undefined> {
    const res = await this.store.db
      .updateTable('node_join_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    return this.store.db.selectFrom('node_join_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  async setJoinTokenNode(id: string, nodeId: string): Promise<void> {
    await this.store.db.updateTable('node_join_tokens').set({ node_id: nodeId }).where('id', '=', id).execute();
  }
}
