// Placement is a pure function so the same rules serve create, start, migration targets and evacuation, and can be tested
// without a database or a node.

/** What the scheduler knows of one node. */
export interface NodeSnapshot {
  id: string;
  name: string;
  online: boolean;
  cpus: number;
  memoryMiB: number;
  /** vCPUs and memory of the VMs placed there that are meant to run. */
  allocatedVcpus: number;
  allocatedMemoryMiB: number;
}

/** What a VM needs. */
export interface PlacementRequest {
  vcpus: number;
  memoryMiB: number;
  /** The VM must go to this node (its images or volumes live there). */
  requiredNodeId?: string | null;
}

/** How far resources may be overcommitted. */
export interface PlacementPolicy {
  cpuOvercommit: number;
  memoryOvercommit: number;
}

/** Default policy: vCPUs are cheap to share, memory much less so (idle guests use a fraction of what they are given). */
export const DEFAULT_POLICY: PlacementPolicy = { cpuOvercommit: 16, memoryOvercommit: 1.5 };

/** Candidates best first, and why every other node was rejected. */
export interface Placement {
  candidates: { nodeId: string; score: number }[];
  rejected: { nodeId: string; name: string; reason: string }[];
}

/** Ranks the nodes that can take the request; the best is the one with the most memory left afterwards. */
export function place(req: PlacementRequest, nodes: readonly NodeSnapshot[], policy: PlacementPolicy = DEFAULT_POLICY): Placement {
  const out: Placement = { candidates: [], rejected: [] };
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const reject = (reason: string) => out.rejected.push({ nodeId: n.id, name: n.name, reason });
    if (req.requiredNodeId && n.id !== req.requiredNodeId) {
      reject('the VM\'s images or volumes are on another node');
      continue;
    }
    if (!n.online) {
      reject('offline');
      continue;
    }
    const memLimit = Math.floor(n.memoryMiB * policy.memoryOvercommit);
    const memFree = memLimit - n.allocatedMemoryMiB;
    if (req.memoryMiB > memFree) {
      reject(`not enough memory: ${req.memoryMiB} MiB asked, ${Math.max(0, memFree)} MiB free`);
      continue;
    }
    const cpuLimit = Math.floor(n.cpus * policy.cpuOvercommit);
    const cpuFree = cpuLimit - n.allocatedVcpus;
    if (req.vcpus > cpuFree) {
      reject(`not enough vCPUs: ${req.vcpus} asked, ${Math.max(0, cpuFree)} free`);
      continue;
    }
    out.candidates.push({ nodeId: n.id, score: (memFree - req.memoryMiB) / memLimit });
  }
  out.candidates.sort((a, b) => b.score - a.score);
  return out;
}

/** One line explaining why nothing fits, for NO_NODE_AVAILABLE. */
export function explainRejection(p: Placement): string {
  if (!p.rejected.length) return 'no node has joined yet (create a join token and start an agent)';
  return p.rejected.map((r) => `${r.name}: ${r.reason}`).join('; ');
}
