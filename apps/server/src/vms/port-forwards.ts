import { ApiError } from '@novacron/api';
import type { HostPortClaimRow } from '../store/compute-schema';

// Host port forwards of the `user` network are host sockets that QEMU binds when the VM starts: two VMs on one node
// asking for the same one would only fail there, as a start error of whichever VM comes second. So a port is claimed
// when a VM is created or given a NIC, in `host_port_claims`, unique per node, protocol and port: the database refuses
// the second claim even when requests race. A port is held whatever address it is bound on (one rule the database can
// enforce; 0.0.0.0 binds every address anyway).

/** A host socket a port forward binds. */
export interface HostPortClaim {
  protocol: 'tcp' | 'udp';
  hostAddress: string;
  hostPort: number;
}

/** Whether two forwards want the same host port (same protocol and number, whatever the address). */
export function clashes(a: Pick<HostPortClaim, 'protocol' | 'hostPort'>, b: Pick<HostPortClaim, 'protocol' | 'hostPort'>): boolean {
  return a.protocol === b.protocol && a.hostPort === b.hostPort;
}

/** Throws CONFLICT (409) if one request asks for the same host port twice (the database checks against other VMs). */
export function assertDistinctHostPorts(requested: readonly HostPortClaim[]): void {
  const label = (f: HostPortClaim) => `${f.protocol} ${f.hostAddress}:${f.hostPort}`;
  for (const [i, fwd] of requested.entries()) {
    const twice = requested.slice(0, i).find((other) => clashes(fwd, other));
    if (twice) throw new ApiError('CONFLICT', `port forwards ${label(twice)} and ${label(fwd)} ask for the same host port`);
  }
}

/** The claim rows of a NIC's forwards (what the database holds unique per node, protocol and port). */
export function hostPortClaims(nodeId: string, vmId: string, nicId: string, forwards: readonly Pick<HostPortClaim, 'protocol' | 'hostPort'>[]): HostPortClaimRow[] {
  return forwards.map((f) => ({ node_id: nodeId, protocol: f.protocol, host_port: f.hostPort, vm_id: vmId, nic_id: nicId }));
}
