import { ApiError, type HelloMessage, type Node, type NodeInventory } from '@novacron/api';
import type { EventBus } from '../events/event-bus';
import { isoPlus, type Clock } from '../lib/clock';
import { sha256 } from '../lib/hash';
import { newId, newSecret } from '../lib/ids';
import { toPage } from '../lib/pagination';
import type { NodeSnapshot } from '../scheduler/place';
import type { NodeRow } from '../store/compute-schema';
import type { NodeAllocation, NodeRepository } from './node.repository';

/** Why an agent was refused. */
export class AgentAuthError extends Error {}

/** Row (+ allocation) → wire shape. */
export function toNode(r: NodeRow, a: NodeAllocation | undefined): Node {
  const inv = JSON.parse(r.inventory) as Partial<NodeInventory>;
  return {
    id: r.id,
    name: r.name,
    hostname: r.hostname,
    state: r.state === 'online' ? 'online' : 'offline',
    cpuModel: inv.cpuModel ?? '',
    cpus: inv.cpus ?? 0,
    memoryMiB: inv.memoryMiB ?? 0,
    kvm: inv.kvm ?? false,
    accel: inv.accel ?? 'tcg',
    qemuVersion: inv.qemuVersion ?? '',
    agentVersion: inv.agentVersion ?? '',
    arch: inv.arch ?? 'x86_64',
    disks: inv.disks ?? [],
    vms: a?.vms ?? 0,
    allocatedVcpus: a?.vcpus ?? 0,
    allocatedMemoryMiB: a?.memoryMiB ?? 0,
    lastSeenAt: r.last_seen_at,
    createdAt: r.created_at,
  };
}

/** Nodes: join tokens, agent credentials, inventory, online state. */
export class NodeService {
  constructor(
    private readonly repo: NodeRepository,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  private now() {
    return this.clock.now().toISOString();
  }

  /** A single-use join token; only its hash is kept. */
  async createJoinToken(opts: { ttlSeconds: number; description: string; createdBy: string | null }) {
    const token = newSecret('ncj');
    const id = newId();
    const expiresAt = isoPlus(this.clock.now(), opts.ttlSeconds);
    await this.repo.insertJoinToken({
      id, token_hash: sha256(token), description: opts.description, created_by: opts.createdBy,
      expires_at: expiresAt, used_at: null, node_id: null, created_at: this.now(),
    });
    return { id, token, expiresAt };
  }

  /** Checks a `hello`: a join token creates the node and a credential; a credential finds it. */
  async authenticate(hello: HelloMessage): Promise<{ node: NodeRow; credential?: string }> {
    if (hello.nodeCredential) {
      const node = await this.repo.byCredentialHash(sha256(hello.nodeCredential));
      if (!node) throw new AgentAuthError('unknown node credential');
      return { node };
    }
    const token = await this.repo.consumeJoinToken(sha256(hello.joinToken ?? ''), this.now());
    if (!token) throw new AgentAuthError('join token unknown, expired or already used');
    const credential = newSecret('ncn');
    const now = this.now();
    const node: NodeRow = {
      id: newId(), name: await this.freeName(hello.hostname), hostname: hello.hostname, state: 'offline',
      credential_hash: sha256(credential), inventory: JSON.stringify(hello.inventory), last_seen_at: null, created_at: now, updated_at: now,
    };
    await this.repo.insert(node);
    await this.repo.setJoinTokenNode(token.id, node.id);
    return { node, credential };
  }

  private async freeName(hostname: string): Promise<string> {
    const base = hostname.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 50) || 'node';
    for (let i = 1; ; i++) {
      const name = i === 1 ? base : `${base}-${i}`;
      if (!(await this.repo.byName(name))) return name;
    }
  }

  /** An agent connected: record its inventory and announce it. */
  async markOnline(nodeId: string, hostname: string, inventory: NodeInventory): Promise<void> {
    const now = this.now();
    await this.repo.update(nodeId, { state: 'online', hostname, inventory: JSON.stringify(inventory), last_seen_at: now, updated_at: now });
    await this.publish('node.online', nodeId);
  }

  /** An agent went silent or disconnected. */
  async markOffline(nodeId: string): Promise<void> {
    await this.repo.update(nodeId, { state: 'offline', updated_at: this.now() });
    await this.publish('node.offline', nodeId);
  }

  /** Heartbeats refresh `lastSeenAt` (written at most every few seconds by the caller). */
  async touch(nodeId: string): Promise<void> {
    await this.repo.update(nodeId, { last_seen_at: this.now() });
  }

  private async publish(type: string, nodeId: string) {
    const row = await this.repo.get(nodeId);
    if (!row) return;
    this.events.publish({ type, tenantId: null, permission: 'node:read', resource: `/api/v1/nodes/${nodeId}`, data: { id: nodeId, name: row.name, state: row.state } });
  }

  async list(q: { limit: number; after?: string; state?: string }) {
    const [rows, alloc] = await Promise.all([this.repo.list(q), this.repo.allocations()]);
    return toPage(rows, q.limit, (r) => toNode(r, alloc.get(r.id)));
  }

  async get(id: string): Promise<Node> {
    const row = await this.repo.get(id);
    if (!row) throw new ApiError('NOT_FOUND', `node ${id} not found`);
    return toNode(row, (await this.repo.allocations()).get(id));
  }

  async row(id: string): Promise<NodeRow | undefined> {
    return this.repo.get(id);
  }

  /** Forgets an offline node without VMs. */
  async delete(id: string): Promise<void> {
    const node = await this.get(id);
    if (node.state === 'online') throw new ApiError('INVALID_STATE', `node ${node.name} is online: stop its agent first`);
    if (node.vms > 0) throw new ApiError('IN_USE', `node ${node.name} still has ${node.vms} VMs`);
    await this.repo.delete(id);
  }

  /** What the scheduler needs to know of every node. */
  async snapshots(isOnline: (id: string) => boolean): Promise<NodeSnapshot[]> {
    const [rows, alloc] = await Promise.all([this.repo.all(), this.repo.allocations()]);
    return rows.map((r) => {
      const n = toNode(r, alloc.get(r.id));
      return { id: n.id, name: n.name, online: isOnline(n.id), cpus: n.cpus, memoryMiB: n.memoryMiB, allocatedVcpus: n.allocatedVcpus, allocatedMemoryMiB: n.allocatedMemoryMiB };
    });
  }

  async start(): Promise<void> {
    await this.repo.markAllOffline(this.now());
  }
}
