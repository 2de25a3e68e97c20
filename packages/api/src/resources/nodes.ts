import { z } from 'zod';
import { Accel } from '../agent-protocol';
import { IdParams, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

/** Whether a node's agent is connected and heartbeating. */
export const NodeState = z.enum(['online', 'offline']);

/** A hypervisor host running a node agent. */
export const Node = z.object({
  id: z.string(),
  name: z.string(),
  hostname: z.string(),
  state: NodeState,
  cpuModel: z.string(),
  cpus: z.number().int(),
  memoryMiB: z.number().int(),
  /** KVM probed to work on the host. */
  kvm: z.boolean(),
  accel: Accel,
  qemuVersion: z.string(),
  agentVersion: z.string(),
  arch: z.string(),
  disks: z.array(z.object({ path: z.string(), sizeBytes: z.number(), availableBytes: z.number() })),
  /** VMs placed on the node and what they ask for. */
  vms: z.number().int(),
  allocatedVcpus: z.number().int(),
  allocatedMemoryMiB: z.number().int(),
  lastSeenAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
/** A node as the API returns it. */
export type Node = z.infer<typeof Node>;

/** Filters of the node list. */
export const NodeListQuery = PageQuery.extend({ state: NodeState.optional() });

/** Body of `POST /api/v1/nodes/join-tokens`. */
export const JoinTokenCreate = z.strictObject({
  /** How long the token can be used; it is single-use. */
  ttlSeconds: z.number().int().min(60).max(7 * 86_400).default(3600),
  description: z.string().max(200).default(''),
});

/** A join token, shown once: give it to `novacron-agent --join-token`. */
export const JoinToken = z.object({ id: z.string(), token: z.string(), expiresAt: Timestamp });

/** Node routes. */
export const nodeRoutes = {
  'nodes.list': defineRoute({
    method: 'GET', path: '/api/v1/nodes', access: 'node:read', tag: 'nodes',
    summary: 'Hypervisor nodes with inventory and online/offline state, oldest first',
    query: NodeListQuery, response: Page(Node),
  }),
  'nodes.get': defineRoute({
    method: 'GET', path: '/api/v1/nodes/{id}', access: 'node:read', tag: 'nodes',
    summary: 'One node', params: IdParams, response: Node,
  }),
  'nodes.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/nodes/{id}', access: 'node:admin', status: 204, tag: 'nodes',
    summary: 'Forgets an offline node that has no VMs (IN_USE otherwise); its credential stops working',
    params: IdParams, response: z.void(),
  }),
  'nodes.createJoinToken': defineRoute({
    method: 'POST', path: '/api/v1/nodes/join-tokens', access: 'node:admin', status: 201, tag: 'nodes',
    summary: 'Creates a single-use join token for a new node agent (shown once)',
    body: JoinTokenCreate, response: JoinToken,
  }),
};
