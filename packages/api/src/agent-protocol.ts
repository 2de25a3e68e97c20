import { z } from 'zod';

// The agent protocol: every message between a node agent and the control plane over one WebSocket
// (`/api/v1/agent/connect`). JSON text frames, one message per frame, discriminated by `type`.
// Level-triggered: the server pushes the FULL desired state of the node (`desired`), the agent converges on it and
// reports what it observes (`vm.status`, and the full list in every `heartbeat`), so a lost or repeated message heals
// on the next one. Actions that are not a state (reboot, snapshot, hotplug, volume and image work, consoles) are
// `command`s answered by exactly one `command.result`. See docs/agent-protocol.md.

/** Version of this protocol; an agent whose `hello` carries another version is refused (close code 4002). */
export const AGENT_PROTOCOL_VERSION = 1 as const;

/** Path of the agent WebSocket on the control plane. */
export const AGENT_CONNECT_PATH = '/api/v1/agent/connect';

/** WebSocket close codes the server uses; the agent reconnects with backoff after any close except 4001 and 4002. */
export const AgentCloseCodes = {
  /** Join token or node credential unknown, expired or already used: do not retry with it. */
  unauthorized: 4001,
  /** The agent speaks an unsupported protocol version. */
  unsupportedVersion: 4002,
  /** Another connection of the same node replaced this one. */
  replaced: 4003,
  /** A message did not parse; the agent has a bug. */
  badMessage: 4004,
  /** The server is shutting down; reconnect later. */
  shuttingDown: 4005,
} as const;

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
/** Base64 of raw bytes (console and upload streams). */
const Base64 = z.string().max(4 * 1024 * 1024);
const Time = z.string();

// ---------- the VM spec the agent runs ----------

/** Disk image formats on a node. */
export const DiskFormat = z.enum(['qcow2', 'raw']);

/**
 * Where a disk's bytes are. The control plane never sends file paths: the agent resolves
 * - a volume to `<pool.path>/<volume>.<format>` (pool paths come in `desired.pools`, command args carry the pool), and
 * - an image to the file it stored when it ran `image.import` for that image id (under its state dir).
 */
export const DiskSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('volume'), pool: Id, volume: Id }),
  z.object({ type: z.literal('image'), image: Id }),
]);

/** One disk of a VM. ISO images are `media: 'cdrom'`, readonly. */
export const VmDiskSpec = z.object({
  id: Id,
  source: DiskSource,
  format: DiskFormat,
  media: z.enum(['disk', 'cdrom']).default('disk'),
  bus: z.enum(['virtio', 'ide', 'scsi']).default('virtio'),
  readonly: z.boolean().default(false),
});

/** A host → guest port forward of the `user` network driver. */
export const PortForward = z.object({
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  /** Host address to bind; loopback unless said otherwise. */
  hostAddress: z.string().default('127.0.0.1'),
  hostPort: z.number().int().min(1).max(65535),
  guestPort: z.number().int().min(1).max(65535),
});

/** One NIC of a VM. `driver` names the network driver on the node (only `user` in protocol version 1). */
export const VmNicSpec = z.object({
  id: Id,
  /** Allocated by the control plane, unique among all VMs (prefix 52:54:00). */
  mac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/),
  model: z.enum(['virtio-net-pci', 'e1000']).default('virtio-net-pci'),
  network: Id,
  driver: z.literal('user'),
  /** Driver options of the network, e.g. `{ cidr: '10.0.2.0/24' }` for `user`. */
  options: z.record(z.string(), z.unknown()).default({}),
  portForwards: z.array(PortForward).default([]),
});

/** Boot configuration: direct kernel boot when `kernel` is set, otherwise firmware boot in `order`. */
export const VmBootSpec = z.object({
  /** Image id of kind `kernel`. */
  kernel: Id.optional(),
  /** Image id of kind `initrd`. */
  initrd: Id.optional(),
  cmdline: z.string().max(4096).optional(),
  order: z.array(z.enum(['disk', 'cdrom', 'network'])).default(['disk', 'cdrom']),
});

/** A NoCloud seed the agent builds (`cidata` volume) and attaches as a read-only drive. */
export const CloudInitSpec = z.object({
  userData: z.string().max(65536).default(''),
  metaData: z.object({ instanceId: z.string(), localHostname: z.string() }),
  networkConfig: z.string().max(65536).optional(),
});

/** Desired power state the reconciler converges on. */
export const PowerState = z.enum(['running', 'stopped', 'paused']);

/** What the agent does when QEMU ends without being asked: `on-failure` restarts after a crash, not after a guest poweroff. */
export const RestartPolicy = z.enum(['no', 'on-failure', 'always']);

/** A VM as the node agent runs it: everything needed to build QEMU's argv, without host paths. */
export const VmSpec = z.object({
  id: Id,
  name: z.string(),
  /** Increases on every change of the spec; the agent echoes the one it acted on in `observedRevision`. */
  revision: z.number().int().min(1),
  vcpus: z.number().int().min(1),
  memoryMiB: z.number().int().min(16),
  /** Live-growable maxima (hotplug); absent (or equal to vcpus/memoryMiB) when hotplug is not wanted. */
  maxVcpus: z.number().int().min(1).optional(),
  maxMemoryMiB: z.number().int().min(16).optional(),
  machine: z.enum(['pc', 'q35']).default('pc'),
  boot: VmBootSpec,
  disks: z.array(VmDiskSpec),
  networks: z.array(VmNicSpec),
  cloudInit: CloudInitSpec.optional(),
  restartPolicy: RestartPolicy,
  powerState: PowerState,
  /**
   * How to reach `stopped` from a running guest: ACPI power button, then wait this long for the guest to power off,
   * then stop QEMU hard. 0 stops hard at once.
   */
  shutdownTimeoutSeconds: z.number().int().min(0).max(3600).default(0),
});
/** A VM as the node agent runs it. */
export type VmSpec = z.infer<typeof VmSpec>;
/** One disk of a VmSpec. */
export type VmDiskSpec = z.infer<typeof VmDiskSpec>;
/** One NIC of a VmSpec. */
export type VmNicSpec = z.infer<typeof VmNicSpec>;

/** A storage pool the node serves; the `dir` driver keeps volumes as files in `path` (created by the agent). */
export const PoolSpec = z.object({
  id: Id,
  name: z.string(),
  driver: z.literal('dir'),
  path: z.string().min(1),
});
/** A storage pool the node serves. */
export type PoolSpec = z.infer<typeof PoolSpec>;

// ---------- observed state ----------

/** States the agent observes (the control plane adds `creating`). */
export const ObservedVmState = z.enum(['stopped', 'starting', 'running', 'paused', 'stopping', 'crashed', 'error']);

/** Acceleration QEMU runs with. */
export const Accel = z.enum(['kvm', 'tcg']);

/** What the agent observes of one VM. */
export const VmStatus = z.object({
  vmId: Id,
  state: ObservedVmState,
  /** Revision of the desired spec the agent last acted on (0 when it never saw one). */
  observedRevision: z.number().int().min(0),
  pid: z.number().int().nullable(),
  accel: Accel.nullable(),
  /** When the VM entered `state`. */
  since: Time,
  /** Why the VM is in `error` or `crashed`, or why the last convergence step failed. */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** From the guest agent when present. */
  guest: z.object({ ipAddresses: z.array(z.string()).default([]), os: z.string().optional() }).optional(),
});
/** What the agent observes of one VM. */
export type VmStatus = z.infer<typeof VmStatus>;

/** Capacity of a pool on the node. */
export const PoolStatus = z.object({
  poolId: Id,
  capacityBytes: z.number().min(0),
  availableBytes: z.number().min(0),
  /** Bytes used by the pool's volumes (sum of allocated file sizes). */
  allocationBytes: z.number().min(0),
  error: z.string().optional(),
});
/** Capacity of a pool on the node. */
export type PoolStatus = z.infer<typeof PoolStatus>;

/** Hardware and software of a node, sent in `hello`. */
export const NodeInventory = z.object({
  cpuModel: z.string(),
  cpus: z.number().int().min(1),
  memoryMiB: z.number().int().min(1),
  disks: z.array(z.object({ path: z.string(), sizeBytes: z.number().min(0), availableBytes: z.number().min(0) })),
  /** Whether KVM was PROBED to work (not merely /dev/kvm present). */
  kvm: z.boolean(),
  accel: Accel,
  qemuVersion: z.string(),
  agentVersion: z.string(),
  arch: z.string().default('x86_64'),
});
/** Hardware and software of a node. */
export type NodeInventory = z.infer<typeof NodeInventory>;

// ---------- commands ----------

/** Where an image's bytes come from. */
export const ImportSource = z.discriminatedUnion('type', [
  /** A file on the node; the agent refuses it unless its realpath lies inside one of `importDirs`. */
  z.object({ type: z.literal('path'), path: z.string().min(1) }),
  /** http or https, fetched by the agent, refused beyond `maxBytes`. */
  z.object({ type: z.literal('url'), url: z.url({ protocol: /^https?$/ }) }),
  /**
   * Bytes uploaded to the control plane: the agent GETs `<serverUrl>/api/v1/agent/uploads/{uploadId}` with header
   * `Authorization: Node <nodeCredential>`.
   */
  z.object({ type: z.literal('upload'), uploadId: Id, sizeBytes: z.number().int().min(0) }),
]);

/** Image kinds. */
export const ImageKind = z.enum(['disk', 'iso', 'kernel', 'initrd']);

/** Args and results of every command kind. Power-state changes are NOT commands: they travel in `desired`. */
export const commandSchemas = {
  /** Asks the guest to reboot (guest agent `guest-shutdown mode=reboot` when present, otherwise `system_reset`). */
  'vm.reboot': { args: z.object({ vmId: Id }), result: z.object({}) },
  /** Hard reset (`system_reset`). */
  'vm.reset': { args: z.object({ vmId: Id }), result: z.object({}) },
  /** Sends the ACPI power button without changing desired state (the server uses `desired` for shutdown). */
  'vm.powerdown': { args: z.object({ vmId: Id }), result: z.object({}) },
  /**
   * Snapshot of every qcow2 disk under tag `snapshotId`; with `includeRam` on a running VM a full VM state snapshot
   * (savevm). On a stopped VM the agent uses qemu-img.
   */
  'vm.snapshot.create': {
    args: z.object({ vmId: Id, snapshotId: Id, includeRam: z.boolean() }),
    result: z.object({ sizeBytes: z.number().min(0).optional(), includesRam: z.boolean() }),
  },
  /** Reverts to the snapshot; a RAM snapshot leaves the VM in the state it had then. */
  'vm.snapshot.revert': { args: z.object({ vmId: Id, snapshotId: Id }), result: z.object({ state: ObservedVmState.optional() }) },
  'vm.snapshot.delete': { args: z.object({ vmId: Id, snapshotId: Id }), result: z.object({}) },
  /** Hot-plugs a disk into a running VM (the server adds it to the spec after success). */
  'vm.disk.attach': { args: z.object({ vmId: Id, disk: VmDiskSpec }), result: z.object({}) },
  'vm.disk.detach': { args: z.object({ vmId: Id, diskId: Id }), result: z.object({}) },
  'vm.nic.attach': { args: z.object({ vmId: Id, nic: VmNicSpec }), result: z.object({}) },
  'vm.nic.detach': { args: z.object({ vmId: Id, nicId: Id }), result: z.object({}) },
  /** Changes vCPUs / memory of a running VM where QEMU supports hotplug; refused with UNSUPPORTED otherwise. */
  'vm.resize': { args: z.object({ vmId: Id, vcpus: z.number().int().min(1), memoryMiB: z.number().int().min(16) }), result: z.object({}) },
  /** The last `maxBytes` of the VM's bounded serial log kept on the node. */
  'vm.serial.read': {
    args: z.object({ vmId: Id, maxBytes: z.number().int().min(1).max(4 * 1024 * 1024) }),
    result: z.object({ data: Base64, truncated: z.boolean() }),
  },
  /** Forgets a deleted VM: stops it if needed, removes its run dir (pidfile, sockets, seed, serial log). */
  'vm.purge': { args: z.object({ vmId: Id }), result: z.object({}) },
  /** Imports an image into the node's image store; reports progress with `command.progress`. */
  'image.import': {
    args: z.object({
      imageId: Id,
      kind: ImageKind,
      source: ImportSource,
      importDirs: z.array(z.string()),
      maxBytes: z.number().int().min(1),
    }),
    result: z.object({
      format: z.enum(['qcow2', 'raw', 'iso', 'kernel', 'initrd']),
      sizeBytes: z.number().min(0),
      virtualSizeBytes: z.number().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  },
  'image.delete': { args: z.object({ imageId: Id }), result: z.object({}) },
  /**
   * Creates `<pool.path>/<volumeId>.<format>`: empty of `sizeBytes`, or from an image / another volume (full copy,
   * or with `linked` a qcow2 overlay backed by it; the volume then grows to at least `sizeBytes`).
   */
  'volume.create': {
    args: z.object({
      pool: PoolSpec,
      volumeId: Id,
      format: DiskFormat,
      sizeBytes: z.number().int().min(0),
      from: z.discriminatedUnion('type', [
        z.object({ type: z.literal('image'), image: Id }),
        z.object({ type: z.literal('volume'), pool: PoolSpec, volume: Id, format: DiskFormat }),
      ]).optional(),
      linked: z.boolean().default(false),
    }),
    result: z.object({ sizeBytes: z.number().min(0), allocationBytes: z.number().min(0) }),
  },
  /** Grows a volume; when `vmId` is given the volume is attached to that running VM (block_resize). */
  'volume.resize': {
    args: z.object({ pool: PoolSpec, volumeId: Id, format: DiskFormat, sizeBytes: z.number().int().min(1), vmId: Id.optional(), diskId: Id.optional() }),
    result: z.object({ sizeBytes: z.number().min(0) }),
  },
  'volume.delete': { args: z.object({ pool: PoolSpec, volumeId: Id, format: DiskFormat }), result: z.object({}) },
  /** Opens a console stream: the agent connects to the VM's VNC or serial unix socket and relays `console.data`. */
  'console.open': { args: z.object({ streamId: Id, vmId: Id, type: z.enum(['vnc', 'serial']) }), result: z.object({}) },
  'console.close': { args: z.object({ streamId: Id }), result: z.object({}) },
} as const;

/** Every command kind. */
export type CommandKind = keyof typeof commandSchemas;
/** Args of a command kind. */
export type CommandArgs<K extends CommandKind> = z.infer<(typeof commandSchemas)[K]['args']>;
/** Result of a command kind. */
export type CommandResultOf<K extends CommandKind> = z.infer<(typeof commandSchemas)[K]['result']>;

const commandKinds = Object.keys(commandSchemas) as [CommandKind, ...CommandKind[]];

/** Error codes an agent answers with (the server maps known ones onto API error codes). */
export const AgentErrorCode = z.enum([
  'BAD_REQUEST', 'NOT_FOUND', 'INVALID_STATE', 'IN_USE', 'UNSUPPORTED', 'TIMEOUT', 'CAPACITY_EXCEEDED',
  'PAYLOAD_TOO_LARGE', 'FORBIDDEN_PATH', 'HYPERVISOR_ERROR', 'IO_ERROR', 'INTERNAL', 'CANCELLED',
]);

/** One command: server → agent, answered by exactly one `command.result` with the same `commandId`. */
export const CommandMessage = z.discriminatedUnion(
  'kind',
  commandKinds.map((kind) =>
    z.object({
      type: z.literal('command'),
      commandId: Id,
      kind: z.literal(kind),
      args: commandSchemas[kind].args,
      /** The server gives up after this; the agent may abort work still running then. */
      timeoutMs: z.number().int().min(1).default(60_000),
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
/**
 * Server → agent: the server gave up on a command (its operation was cancelled); the agent aborts it if it still runs.
 * The command still answers with one `command.result` (code CANCELLED), which the server no longer waits for.
 */
export const CommandCancelMessage = z.object({
  type: z.literal('command.cancel'),
  commandId: Id,
});
/** `command.cancel` as sent. */
export type CommandCancelMessage = z.infer<typeof CommandCancelMessage>;

/** One command as the agent receives it. */
export type CommandMessage = { [K in CommandKind]: { type: 'command'; commandId: string; kind: K; args: CommandArgs<K>; timeoutMs: number } }[CommandKind];

// ---------- agent → server ----------

/** First message of a connection: who the agent is. */
export const HelloMessage = z.object({
  type: z.literal('hello'),
  protocolVersion: z.number().int(),
  /** A join token on first contact, afterwards the node credential the server issued in `welcome`. */
  joinToken: z.string().min(1).max(256).optional(),
  nodeCredential: z.string().min(1).max(256).optional(),
  hostname: z.string().min(1).max(253),
  inventory: NodeInventory,
}).refine((m) => Boolean(m.joinToken) !== Boolean(m.nodeCredential), 'exactly one of joinToken and nodeCredential');

/** Liveness plus the full observed state (level-triggered: a missed `vm.status` heals here). */
export const HeartbeatMessage = z.object({
  type: z.literal('heartbeat'),
  time: Time,
  /** Every VM the agent knows of (desired or adopted). */
  vms: z.array(VmStatus),
  pools: z.array(PoolStatus).default([]),
  /** Load figures for the scheduler. */
  memoryAvailableMiB: z.number().min(0).optional(),
  load1: z.number().min(0).optional(),
});

/** A VM's observed state changed. */
export const VmStatusMessage = VmStatus.extend({ type: z.literal('vm.status') });

/** Lifecycle events the agent reports beyond state changes. */
export const VmEventType = z.enum([
  'started', 'stopped', 'crashed', 'paused', 'resumed', 'reset', 'powerdown', 'guest-shutdown', 'restarted',
  'disk-attached', 'disk-detached', 'nic-attached', 'nic-detached', 'adopted', 'error',
]);

/** Something happened to a VM (e.g. QEMU died: `crashed`, with the exit detail). */
export const VmEventMessage = z.object({
  type: z.literal('vm.event'),
  vmId: Id,
  event: VmEventType,
  time: Time,
  detail: z.record(z.string(), z.unknown()).default({}),
});

/** Progress of a long command (image import, volume copy). */
export const CommandProgressMessage = z.object({
  type: z.literal('command.progress'),
  commandId: Id,
  progress: z.number().min(0).max(100),
  detail: z.string().optional(),
});

/** The one answer to a command. */
export const CommandResultMessage = z.object({
  type: z.literal('command.result'),
  commandId: Id,
  ok: z.boolean(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.object({ code: AgentErrorCode.or(z.string()), message: z.string() }).optional(),
});

/** Bytes of a console stream, in either direction. */
export const ConsoleDataMessage = z.object({ type: z.literal('console.data'), streamId: Id, data: Base64 });

/** The agent's end of a console stream ended (QEMU socket closed, VM stopped). */
export const ConsoleClosedMessage = z.object({ type: z.literal('console.closed'), streamId: Id, reason: z.string().optional() });

/** Every message an agent sends. */
export const AgentMessage = z.union([
  HelloMessage,
  z.discriminatedUnion('type', [
    HeartbeatMessage, VmStatusMessage, VmEventMessage, CommandProgressMessage, CommandResultMessage, ConsoleDataMessage, ConsoleClosedMessage,
  ]),
]);
/** Every message an agent sends. */
export type AgentMessage = z.infer<typeof AgentMessage>;

// ---------- server → agent ----------

/** Answer to `hello`: the node's id and, after a join token, the credential to use from now on (store it 0600). */
export const WelcomeMessage = z.object({
  type: z.literal('welcome'),
  protocolVersion: z.literal(AGENT_PROTOCOL_VERSION),
  nodeId: Id,
  nodeCredential: z.string().optional(),
  /** Send a heartbeat this often; the node is offline after three missed ones. */
  heartbeatIntervalMs: z.number().int().min(100),
});

/** The full desired state of this node; replaces any earlier one. VMs not listed are not wanted (stop, forget). */
export const DesiredMessage = z.object({
  type: z.literal('desired'),
  /** Increases with every push, so a late older push can be ignored. */
  generation: z.number().int().min(1),
  vms: z.array(VmSpec),
  pools: z.array(PoolSpec),
});

/** Every message the server sends. */
export const ServerMessage = z.union([
  z.discriminatedUnion('type', [WelcomeMessage, DesiredMessage, ConsoleDataMessage, CommandCancelMessage]),
  CommandMessage,
]);

/** `hello` as sent. */
export type HelloMessage = z.infer<typeof HelloMessage>;
/** `heartbeat` as sent. */
export type HeartbeatMessage = z.infer<typeof HeartbeatMessage>;
/** `vm.status` as sent. */
export type VmStatusMessage = z.infer<typeof VmStatusMessage>;
/** `vm.event` as sent. */
export type VmEventMessage = z.infer<typeof VmEventMessage>;
/** `command.progress` as sent. */
export type CommandProgressMessage = z.infer<typeof CommandProgressMessage>;
/** `command.result` as sent. */
export type CommandResultMessage = z.infer<typeof CommandResultMessage>;
/** `console.data` as sent. */
export type ConsoleDataMessage = z.infer<typeof ConsoleDataMessage>;
/** `console.closed` as sent. */
export type ConsoleClosedMessage = z.infer<typeof ConsoleClosedMessage>;
/** `welcome` as sent. */
export type WelcomeMessage = z.infer<typeof WelcomeMessage>;
/** `desired` as sent. */
export type DesiredMessage = z.infer<typeof DesiredMessage>;
/** Every message the server sends. */
export type ServerMessage = WelcomeMessage | DesiredMessage | ConsoleDataMessage | CommandCancelMessage | CommandMessage;

/** Parses one agent → server frame (throws a ZodError when it does not match). */
export function parseAgentMessage(text: string): AgentMessage {
  return AgentMessage.parse(JSON.parse(text));
}

/** Parses one server → agent frame (throws when it does not match). */
export function parseServerMessage(text: string): ServerMessage {
  return ServerMessage.parse(JSON.parse(text)) as ServerMessage;
}
