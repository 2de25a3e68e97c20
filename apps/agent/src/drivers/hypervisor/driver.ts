import type { PoolSpec, VmSpec } from '@novacron/api';

/** What a guest agent reports about the guest: `VmStatus.guest`. */
export interface GuestInfo {
  /** Addresses of the guest's interfaces, loopback and link-local left out. */
  ipAddresses: string[];
  /** OS name, e.g. `Debian GNU/Linux 12 (bookworm)`. */
  os?: string;
}

/** What a hypervisor driver can do; callers branch on these, never on the driver's name. */
export interface HypervisorCapabilities {
  /** How guests run here: hardware virtualization (probed, not assumed) or emulation. */
  accel: 'kvm' | 'tcg';
  pause: boolean;
  /** ACPI power button (a cooperative shutdown the guest can act on). */
  acpiShutdown: boolean;
  reset: boolean;
  /** Guests keep running when the agent stops, and `adoptRunning` finds them again. */
  survivesAgentRestart: boolean;
  directKernelBoot: boolean;
  diskHotplug: boolean;
  nicHotplug: boolean;
  /** Snapshots including RAM of a running VM. */
  ramSnapshots: boolean;
  machines: string[];
  diskBuses: string[];
  nicModels: string[];
}

/** A hypervisor driver's name, version and capabilities. */
export interface HypervisorInfo {
  name: string;
  version: string;
  capabilities: HypervisorCapabilities;
}

/** A VM's state as the hypervisor sees it; `absent` means no process. */
export type RuntimeState = 'absent' | 'starting' | 'running' | 'paused' | 'stopping' | 'error';

/** One observation of one VM. */
export interface ObservedVm {
  vmId: string;
  state: RuntimeState;
  pid: number | null;
  accel: 'kvm' | 'tcg' | null;
  /** In the middle of something the hypervisor does on its own (saving or loading state): do not act now. */
  busy?: boolean;
  /** Why the state is `error`, or the hypervisor's own status name. */
  detail?: string;
}

/** Why a VM's process ended: asked by the agent, powered off by the guest, ended by someone else, or died. */
export type ExitReason = 'requested' | 'guest-shutdown' | 'host-shutdown' | 'crashed';

/** Something that happened to a VM, as the driver saw it. */
export type HypervisorEvent =
  | { vmId: string; type: 'started' | 'adopted' | 'paused' | 'resumed' | 'reset' | 'powerdown' | 'guest-shutdown'; detail?: Record<string, unknown> }
  | { vmId: string; type: 'exited'; reason: ExitReason; detail?: Record<string, unknown> };

/** Options of `start`. */
export interface StartOptions {
  /** Start with vCPUs stopped (desired power state `paused`). */
  paused: boolean;
  /** Pools the node serves (volumes are resolved in them). */
  pools: readonly PoolSpec[];
}

/** Result of a cooperative shutdown: the guest powered off, it was stopped hard after the timeout, or the wait was aborted. */
export type ShutdownOutcome = 'guest' | 'forced' | 'aborted';

/**
 * A hypervisor driver runs VMs from protocol `VmSpec`s. Every method is idempotent where that makes sense (starting a
 * running VM, stopping a stopped one) so the reconciler can repeat itself safely.
 */
export interface HypervisorDriver {
  info(): HypervisorInfo;
  /** Re-attaches to VMs a previous agent left running (after `init`); returns their ids. */
  adoptRunning(): Promise<string[]>;
  /** Ids of VMs that have a process now. */
  running(): string[];
  /** Looks at one VM now. */
  observe(vmId: string): Promise<ObservedVm>;
  /** Starts a VM (no-op when it already runs). Resolves once it runs (or is paused with `paused`). */
  start(spec: VmSpec, opts: StartOptions): Promise<void>;
  pause(vmId: string): Promise<void>;
  resume(vmId: string): Promise<void>;
  /** Hard reset. */
  reset(vmId: string): Promise<void>;
  /** Asks the guest to reboot (guest agent when present, otherwise a reset). */
  reboot(vmId: string): Promise<void>;
  /** Presses the ACPI power button and returns at once. */
  powerdown(vmId: string): Promise<void>;
  /** ACPI power button, wait up to `timeoutMs` for the guest to power off, then stop hard (unless `signal` aborts first). */
  shutdown(vmId: string, timeoutMs: number, signal?: AbortSignal): Promise<ShutdownOutcome>;
  /** Stops hard (the process ends now); no-op when it is not running. */
  stop(vmId: string): Promise<void>;
  /** What a guest agent inside says (addresses, OS); undefined when none answers or the driver has no such channel. */
  guestInfo?(vmId: string): Promise<GuestInfo | undefined>;
  /** Grows a disk of a running VM so the guest sees the new size at once. */
  resizeDisk(vmId: string, diskId: string, sizeBytes: number): Promise<void>;
  /** Removes a stopped VM's run files (sockets, logs, per-VM overlays). */
  purge(vmId: string): Promise<void>;
  /** The last `maxBytes` of the VM's serial log. */
  readSerial(vmId: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }>;
  /** Subscribes to events of every VM; returns the unsubscribe function. */
  onEvent(listener: (event: HypervisorEvent) => void): () => void;
  /** Periodic chores (bounding logs); called by the agent every few seconds. */
  housekeeping(): Promise<void>;
  /** Detaches from every VM; the VMs keep running. */
  close(): Promise<void>;
}
