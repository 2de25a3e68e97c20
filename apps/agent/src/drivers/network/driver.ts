import type { VmNicSpec } from '@novacron/api';

/** What a network driver can do; callers branch on these, never on the driver's name. */
export interface NetworkCapabilities {
  /** Needs root / CAP_NET_ADMIN on the node (bridges, taps, firewall rules). */
  privileged: boolean;
  /** Host → guest port forwards (`VmNicSpec.portForwards`). */
  portForwards: boolean;
  /** Who hands out guest addresses: QEMU itself, a DHCP server the driver runs, or nobody. */
  dhcp: 'builtin' | 'managed' | 'none';
  /** Guests on this network reach each other. */
  guestToGuest: boolean;
  /** Per-NIC firewall rules. */
  firewall: boolean;
  /** NICs can be hot-plugged. */
  hotplug: boolean;
}

/** A network driver's name and capabilities. */
export interface NetworkDriverInfo {
  name: string;
  capabilities: NetworkCapabilities;
}

/**
 * How the hypervisor connects one NIC: QEMU user-mode networking, or (bridge drivers, later) a tap device the driver
 * created and plugged into a bridge. The hypervisor driver turns this into `-netdev` arguments.
 */
export type NicBackend =
  | { type: 'user'; /** Guest subnet (`net=` of the netdev). */ subnet: string; hostForwards: Array<{ protocol: 'tcp' | 'udp'; hostAddress: string; hostPort: number; guestPort: number }> }
  | { type: 'tap'; ifname: string };

/** The VM a NIC belongs to. */
export interface NicOwner {
  vmId: string;
}

/**
 * A network driver prepares the host side of NICs before QEMU starts and tears it down after QEMU ends. Both steps are
 * idempotent: the reconciler may repeat them after an agent restart.
 */
export interface NetworkDriver {
  info(): NetworkDriverInfo;
  /** Throws AgentError BAD_REQUEST/UNSUPPORTED when the NIC cannot work on this driver. */
  validate(nic: VmNicSpec): void;
  /** Creates what the NIC needs on the host (tap, bridge port, DHCP lease, firewall rules) and says how to connect it. */
  attach(owner: NicOwner, nic: VmNicSpec): Promise<NicBackend>;
  /** Removes what `attach` created; absent is fine. */
  detach(owner: NicOwner, nic: VmNicSpec): Promise<void>;
}
