import { z } from 'zod';
import { Accel, DiskFormat, PortForward, PowerState, RestartPolicy } from '../agent-protocol';
import { Id, IdParams, Labels, Name, Operation, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';
import { SizeGiB } from './storage';

/** States a VM is in: `creating` until its create operation ends, then what its node agent observes. */
export const VmState = z.enum(['creating', 'stopped', 'starting', 'running', 'paused', 'stopping', 'crashed', 'error']);
/** A VM state. */
export type VmState = z.infer<typeof VmState>;

/** Firmware boot order by device class. */
export const BootOrder = z.array(z.enum(['disk', 'cdrom', 'network'])).min(1).max(3);

/** One disk of a VM. */
export const VmDisk = z.object({
  id: z.string(),
  /** Volume backing the disk (disks made from disk images and empty disks are volumes). */
  volumeId: z.string().nullable(),
  /** ISO image attached read-only as a CD-ROM. */
  imageId: z.string().nullable(),
  media: z.enum(['disk', 'cdrom']),
  bus: z.enum(['virtio', 'ide', 'scsi']),
  format: DiskFormat,
  readonly: z.boolean(),
  sizeGiB: z.number().nullable(),
});

/** One NIC of a VM. */
export const VmNic = z.object({
  id: z.string(),
  /** Network id. */
  network: z.string(),
  mac: z.string(),
  model: z.enum(['virtio-net-pci', 'e1000']),
  portForwards: z.array(PortForward),
});

/** A virtual machine: its spec (desired state) and what its node reports (observed state). */
export const Vm = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  tenantId: z.string(),
  nodeId: z.string().nullable(),
  state: VmState,
  /** Power state the node is asked to converge on. */
  powerState: PowerState,
  vcpus: z.number().int(),
  memoryMiB: z.number().int(),
  /** How many vCPUs the running VM can grow to (CPU hotplug); null = none beyond `vcpus`. */
  maxVcpus: z.number().int().nullable(),
  /** How much memory the running VM can grow to (DIMM hotplug); null = none beyond `memoryMiB`. */
  maxMemoryMiB: z.number().int().nullable(),
  restartPolicy: RestartPolicy,
  boot: z.object({
    kernelImage: z.string().nullable(),
    initrdImage: z.string().nullable(),
    cmdline: z.string().nullable(),
    order: BootOrder,
  }),
  disks: z.array(VmDisk),
  networks: z.array(VmNic),
  labels: z.record(z.string(), z.string()),
  isTemplate: z.boolean(),
  /** Whether cloud-init user data is attached (the data itself is not returned). */
  cloudInit: z.boolean(),
  /** vCPUs, memory or boot changed while running: they apply at the next start. */
  pendingRestart: z.boolean(),
  accel: Accel.nullable(),
  pid: z.number().int().nullable(),
  stateSince: Timestamp,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  guest: z.object({ ipAddresses: z.array(z.string()), os: z.string().optional() }).nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A VM as the API returns it. */
export type Vm = z.infer<typeof Vm>;

const Bus = z.enum(['virtio', 'ide', 'scsi']);

/** A disk as requested: from an image (disk images are copied into a volume, ISOs attach as CD-ROMs), new and empty, or an existing volume. */
export const VmDiskInput = z.union([
  z.strictObject({
    image: Id,
    /** Pool of the volume made from a disk image. */
    pool: z.string().min(1).max(64).default('default'),
    /** Grows the volume made from a disk image to this size. */
    sizeGiB: SizeGiB.optional(),
    /** qcow2 overlay on the image (fast) instead of a full copy. */
    linked: z.boolean().default(true),
    bus: Bus.optional(),
  }),
  z.strictObject({ sizeGiB: SizeGiB, pool: z.string().min(1).max(64).default('default'), format: DiskFormat.default('qcow2'), bus: Bus.default('virtio') }),
  z.strictObject({ volume: Id, bus: Bus.default('virtio'), readonly: z.boolean().default(false) }),
]);

/** A NIC as requested. */
export const VmNicInput = z.strictObject({
  /** Network name or id. */
  network: z.string().min(1).max(64).default('default'),
  /** Allocated when omitted. */
  mac: z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/).optional(),
  model: z.enum(['virtio-net-pci', 'e1000']).default('virtio-net-pci'),
  portForwards: z.array(z.strictObject({
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    hostAddress: z.ipv4().default('127.0.0.1'),
    hostPort: z.number().int().min(1024).max(65535),
    guestPort: z.number().int().min(1).max(65535),
  })).max(32).default([]),
});

const Vcpus = z.number().int().min(1).max(64);
const MemoryMiB = z.number().int().min(32).max(1024 * 1024);

/** Body of `POST /api/v1/vms`. */
export const VmCreate = z.strictObject({
  name: Name,
  description: z.string().max(1000).default(''),
  /** Owning tenant; defaults to the caller's home tenant. */
  tenant: Id.optional(),
  vcpus: Vcpus,
  memoryMiB: MemoryMiB,
  /** Room for live vCPU growth (at least `vcpus`); under TCG it runs the VM's TCG single-threaded. */
  maxVcpus: Vcpus.nullable().default(null),
  /** Room for live memory growth (at least `memoryMiB`); the guest then needs about 256 MiB to boot. */
  maxMemoryMiB: MemoryMiB.nullable().default(null),
  boot: z.strictObject({
    /** Image id of kind kernel: direct kernel boot. */
    kernelImage: Id.optional(),
    initrdImage: Id.optional(),
    cmdline: z.string().max(4096).optional(),
    order: BootOrder.default(['disk', 'cdrom']),
  }).default({ order: ['disk', 'cdrom'] }),
  disks: z.array(VmDiskInput).max(16).default([]),
  networks: z.array(VmNicInput).max(8).default([]),
  cloudInit: z.strictObject({ userData: z.string().max(65536).default(''), networkConfig: z.string().max(65536).optional() }).optional(),
  restartPolicy: RestartPolicy.default('no'),
  labels: Labels.default({}),
  /** Starts the VM once created. */
  start: z.boolean().default(false),
});

/** Body of `PATCH /api/v1/vms/{id}`. vCPUs, memory and boot changes of a running VM apply at its next start. */
export const VmPatch = z.strictObject({
  name: Name.optional(),
  description: z.string().max(1000).optional(),
  labels: Labels.optional(),
  vcpus: Vcpus.optional(),
  memoryMiB: MemoryMiB.optional(),
  /** Hotplug ceilings (null removes them); they apply at the next start. */
  maxVcpus: Vcpus.nullable().optional(),
  maxMemoryMiB: MemoryMiB.nullable().optional(),
  restartPolicy: RestartPolicy.optional(),
  bootOrder: BootOrder.optional(),
  cmdline: z.string().max(4096).optional(),
  /** Marks a stopped VM as a template (clone it to create VMs from it) or turns it back. */
  isTemplate: z.boolean().optional(),
});

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Filters of the VM list. */
export const VmListQuery = PageQuery.extend({
  state: VmState.optional(),
  node: Id.optional(),
  tenant: Id.optional(),
  /** `key` or `key=value`. */
  label: z.string().min(1).max(320).optional(),
  /** Case-insensitive substring of the name or description. */
  text: z.string().min(1).max(200).optional(),
  template: Flag.optional(),
});

/** Body of `POST /api/v1/vms/{id}/clone` (the source is stopped or a template). */
export const VmClone = z.strictObject({
  name: Name,
  /** qcow2 overlays on the source's disks instead of full copies. */
  linked: z.boolean().default(false),
  start: z.boolean().default(false),
});

/** A snapshot of a VM's disks, and of its RAM and device state when taken with `includeRam` while running. */
export const VmSnapshot = z.object({
  id: z.string(),
  vmId: z.string(),
  name: z.string(),
  description: z.string(),
  includesRam: z.boolean(),
  /** VM state when taken. */
  vmState: z.string(),
  createdAt: Timestamp,
});
/** A snapshot as the API returns it. */
export type VmSnapshot = z.infer<typeof VmSnapshot>;

/** Body of `POST /api/v1/vms/{id}/snapshots`. */
export const VmSnapshotCreate = z.strictObject({
  name: Name,
  description: z.string().max(500).default(''),
  includeRam: z.boolean().default(false),
});

/** `{id}` of a VM and `{snapshotId}`. */
export const SnapshotParams = z.strictObject({ id: Id, snapshotId: Id });
/** `{id}` of a VM and `{diskId}`. */
export const DiskParams = z.strictObject({ id: Id, diskId: Id });
/** `{id}` of a VM and `{nicId}`. */
export const NicParams = z.strictObject({ id: Id, nicId: Id });

/** A console ticket: single use, valid 60 s, for `GET /api/v1/vms/{id}/console?type=vnc|serial&ticket=` (WebSocket). */
export const ConsoleTicket = z.object({ ticket: z.string(), expiresAt: Timestamp, url: z.string() });
/** A console ticket. */
export type ConsoleTicket = z.infer<typeof ConsoleTicket>;

/** The tail of a VM's serial console output. */
export const SerialLog = z.object({ text: z.string(), truncated: z.boolean() });


const action = (name: string, access: 'vm:power', summary: string) =>
  defineRoute({
    method: 'POST', path: `/api/v1/vms/{id}/${name}`, access, tenantScoped: true, status: 202, tag: 'vms',
    summary, params: IdParams, response: Operation,
  });

/** VM routes: CRUD, power actions, clone, snapshots, disks, NICs, console. */
export const vmRoutes = {
  'vms.list': defineRoute({
    method: 'GET', path: '/api/v1/vms', access: 'vm:read', tenantScoped: true, tag: 'vms',
    summary: 'VMs the caller may see, newest first', query: VmListQuery, response: Page(Vm),
  }),
  'vms.get': defineRoute({
    method: 'GET', path: '/api/v1/vms/{id}', access: 'vm:read', tenantScoped: true, tag: 'vms',
    summary: 'One VM', params: IdParams, response: Vm,
  }),
  'vms.create': defineRoute({
    method: 'POST', path: '/api/v1/vms', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Creates a VM (quota-checked), places it on a node and optionally starts it; the operation result names the VM',
    body: VmCreate, response: Operation,
  }),
  'vms.update': defineRoute({
    method: 'PATCH', path: '/api/v1/vms/{id}', access: 'vm:write', tenantScoped: true, tag: 'vms',
    summary: 'Renames, relabels or resizes a VM (quota-checked)', params: IdParams, body: VmPatch, response: Vm,
  }),
  'vms.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/vms/{id}', access: 'vm:delete', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Stops and deletes a VM with the volumes made for it (attached volumes are kept); `force` forgets a VM whose node is gone',
    params: IdParams, query: z.strictObject({ force: Flag.default(false) }), response: Operation,
  }),
  'vms.start': action('start', 'vm:power', 'Starts a stopped or crashed VM'),
  'vms.stop': action('stop', 'vm:power', 'Stops a VM at once (like pulling the plug)'),
  'vms.shutdown': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/shutdown', access: 'vm:power', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'ACPI shutdown: presses the power button and waits `timeout` seconds for the guest, then stops it hard',
    params: IdParams, query: z.strictObject({ timeout: z.coerce.number().int().min(0).max(3600).default(60) }), response: Operation,
  }),
  'vms.reboot': action('reboot', 'vm:power', 'Asks the guest to reboot'),
  'vms.reset': action('reset', 'vm:power', 'Hard reset'),
  'vms.pause': action('pause', 'vm:power', 'Pauses the vCPUs'),
  'vms.resume': action('resume', 'vm:power', 'Resumes a paused VM'),
  'vms.clone': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/clone', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Clones a stopped VM or a template (full copy or linked qcow2 overlay); the operation result names the new VM',
    params: IdParams, body: VmClone, response: Operation,
  }),
  'vms.snapshots.list': defineRoute({
    method: 'GET', path: '/api/v1/vms/{id}/snapshots', access: 'vm:read', tenantScoped: true, tag: 'vms',
    summary: 'Snapshots of a VM, oldest first', params: IdParams, query: PageQuery, response: Page(VmSnapshot),
  }),
  'vms.snapshots.create': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/snapshots', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Takes a snapshot (with RAM when `includeRam` and running); the operation result names the snapshot',
    params: IdParams, body: VmSnapshotCreate, response: Operation,
  }),
  'vms.snapshots.revert': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/snapshots/{snapshotId}/revert', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Reverts the VM to a snapshot', params: SnapshotParams, response: Operation,
  }),
  'vms.snapshots.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/vms/{id}/snapshots/{snapshotId}', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Deletes a snapshot', params: SnapshotParams, response: Operation,
  }),
  'vms.disks.attach': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/disks', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Adds a disk (hot-plugged when running): a new volume, an existing one or an ISO', params: IdParams, body: VmDiskInput, response: Operation,
  }),
  'vms.disks.detach': defineRoute({
    method: 'DELETE', path: '/api/v1/vms/{id}/disks/{diskId}', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Removes a disk (hot-unplugged when running); its volume is kept', params: DiskParams, response: Operation,
  }),
  'vms.nics.attach': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/nics', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Adds a NIC (hot-plugged when running)', params: IdParams, body: VmNicInput, response: Operation,
  }),
  'vms.nics.detach': defineRoute({
    method: 'DELETE', path: '/api/v1/vms/{id}/nics/{nicId}', access: 'vm:write', tenantScoped: true, status: 202, tag: 'vms',
    summary: 'Removes a NIC (hot-unplugged when running)', params: NicParams, response: Operation,
  }),
  'vms.consoleTickets.create': defineRoute({
    method: 'POST', path: '/api/v1/vms/{id}/console-tickets', access: 'vm:console', tenantScoped: true, status: 201, tag: 'vms',
    summary: 'A single-use ticket (60 s) for the console WebSocket', params: IdParams, response: ConsoleTicket,
  }),
  'vms.serialLog': defineRoute({
    method: 'GET', path: '/api/v1/vms/{id}/serial-log', access: 'vm:console', tenantScoped: true, tag: 'vms',
    summary: 'The tail of the serial console output kept by the node',
    params: IdParams, query: z.strictObject({ maxBytes: z.coerce.number().int().min(1).max(1024 * 1024).default(65536) }), response: SerialLog,
  }),
};
