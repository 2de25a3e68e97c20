import { ApiError } from '@novacron/api';
import type { HostPortClaimRow } from '../store/compute-schema';

// Host port forwards of the `user` network are host sockets that QEMU binds when the VM starts: two VMs on one node
// asking for the same one would only fail there, as a start error of whichever VM comes second. They are checked when
// a VM is created or given a NIC instead, against every VM placed on the same node (stopped ones too: they would
// clash when started).

/** A host socket a port forward binds. */
export interface HostPortClaim {
  protocol: 'tcp' | 'udp';
  hostAddress: string;
  hostPort: number;
}

/** Whether two forwards want the same host socket (0.0.0.0 binds every address, so it clashes with any address). */
export function clashes(a: HostPortClaim, b: HostPortClaim): boolean {
  if (a.protocol !== b.protocol || a.hostPort !== b.hostPort) return false;
  return a.hostAddress === b.hostAddress || a.hostAddress === '0.0.0.0' || b.hostAddress === '0.0.0.0';
}

/** Throws CONFLICT (409) if a requested forward clashes with another requested one or with one taken on the node. */
export function assertHostPortsFree(requested: readonly HostPortClaim[], taken: readonly HostPortClaim[], nodeId: string): void {
  const label = (f: HostPortClaim) => `${f.protocol} ${f.hostAddress}:${f.hostPort}`;
  for (const [i, fwd] of requested.entries()) {
    const twice = requested.slice(0, i).find((other) => clashes(fwd, other));
    if (twice) throw new ApiError('CONFLICT', `port forwards ${label(twice)} and ${label(fwd)} ask for the same host port`);
    // Whose VM holds it is not said: it may belong to another tenant.
    const holder = taken.find((other) => clashes(fwd, other));
    if (holder) throw new ApiError('CONFLICT', `host port ${label(fwd)} is already forwarded to another VM on node ${nodeId} (as ${label(holder)})`);
  }
}

/** The port forwards stored in `vm_nics.port_forwards` rows (JSON text). */
export function parseStoredForwards(rows: ReadonlyArray<{ port_forwards: string }>): HostPortClaim[] {
  return rows.flatMap((row) => JSON.parse(row.port_forwards) as HostPortClaim[]);
}

/** The claim rows of a NIC's forwards (what the database holds unique per node, protocol and port). */
export function hostPortClaims(nodeId: string, vmId: string, nicId: string, forwards: readonly Pick<HostPortClaim, 'protocol' | 'hostPort'>[]): HostPortClaimRow[] {
  return forwards.map((f) => ({ node_id: nodeId, protocol: f.protocol, host_port: f.hostPort, vm_id: vmId, nic_id: nicId }));
}
