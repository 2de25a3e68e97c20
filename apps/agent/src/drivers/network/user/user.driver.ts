import type { VmNicSpec } from '@novacron/api';
import { isIPv4 } from 'node:net';
import { AgentError } from '../../../lib/agent-error';
import type { NetworkDriver, NetworkDriverInfo, NicBackend, NicOwner } from '../driver';

// QEMU's user-mode network is fixed at 10.0.2.0/24 (guest 10.0.2.15) unless `net=` is passed, which the QEMU command
// builder does not write yet; accept that subnet only, so nobody gets a different network than the one they asked for.
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
    const cidr = nic.options.cidr;
    if (cidr !== undefined && cidr !== DEFAULT_CIDR) {
      throw new AgentError('UNSUPPORTED', `network ${nic.network}: the user driver only serves ${DEFAULT_CIDR} (asked ${String(cidr)})`);
    }
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
      hostForwards: nic.portForwards.map((f) => ({ protocol: f.protocol, hostAddress: f.hostAddress, hostPort: f.hostPort, guestPort: f.guestPort })),
    };
  }

  async detach(): Promise<void> {
    // QEMU owns the slirp stack; it goes away with the process.
  }
}
