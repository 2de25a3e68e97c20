import { userSubnetProblem, type VmNicSpec } from '@novacron/api';
import { isIPv4 } from 'node:net';
import { AgentError } from '../../../lib/agent-error';
import type { NetworkDriver, NetworkDriverInfo, NicBackend, NicOwner } from '../driver';

// QEMU's own default subnet (guest 10.0.2.15), used when a network names none.
const DEFAULT_CIDR = '10.0.2.0/24';

/** The `user` driver: QEMU user-mode NAT (slirp) with port forwards. No privileges, nothing to set up on the host. */
export class UserNetworkDriver implements NetworkDriver {
  info(): NetworkDriverInfo {
    return {
      name: 'user',
      capabilities: { privileged: false, portForwards: true, dhcp: 'builtin', guestToGuest: false, firewall: false, hotplug: true },
    };
  }

  validate(nic: VmNicSpec): void {
    const problem = userSubnetProblem(subnetOf(nic));
    if (problem) throw new AgentError('BAD_REQUEST', `network ${nic.network}: subnet ${subnetOf(nic)} ${problem}`);
    const seen = new Set<string>();
    for (const fwd of nic.portForwards) {
      if (!isIPv4(fwd.hostAddress)) throw new AgentError('BAD_REQUEST', `port forward host address ${fwd.hostAddress} is not IPv4`);
      const key = `${fwd.protocol}:${fwd.hostAddress}:${fwd.hostPort}`;
      if (seen.has(key)) throw new AgentError('BAD_REQUEST', `port forward ${key} given twice`);
      seen.add(key);
    }
  }

  async attach(_owner: NicOwner, nic: VmNicSpec): Promise<NicBackend> {
    this.validate(nic);
    return {
      type: 'user',
      subnet: subnetOf(nic),
      hostForwards: nic.portForwards.map((f) => ({ protocol: f.protocol, hostAddress: f.hostAddress, hostPort: f.hostPort, guestPort: f.guestPort })),
    };
  }

  async detach(): Promise<void> {
    // QEMU owns the slirp stack; it goes away with the process.
  }
}

function subnetOf(nic: VmNicSpec): string {
  return typeof nic.options.cidr === 'string' ? nic.options.cidr : DEFAULT_CIDR;
}
