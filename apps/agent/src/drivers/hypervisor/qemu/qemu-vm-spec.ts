// The QEMU driver's view of one VM: everything `buildQemuArgs` needs to write a QEMU command line.
// Paths are absolute and already resolved by the storage/network drivers; nothing here touches disk.

/** Accelerator QEMU runs the guest with (probe KVM with `probeKvm`; TCG is the fallback). */
export type QemuAccel = 'kvm' | 'tcg';

/** A virtio disk backed by an image file. */
export interface QemuDiskSpec {
  /** Device id (also names the block nodes `file-<id>` / `drive-<id>`); letters, digits, `-`, `_`. */
  id: string;
  /** Absolute path of the image. */
  path: string;
  format: 'qcow2' | 'raw';
  bus: 'virtio';
  readonly?: boolean;
}

/** A host port forwarded into the guest by QEMU's user-mode network. */
export interface QemuHostForward {
  protocol: 'tcp' | 'udp';
  /** Host address to bind; default 127.0.0.1 (never expose guests on all interfaces by accident). */
  hostAddress?: string;
  hostPort: number;
  guestPort: number;
}

/** QEMU user-mode (slirp) networking: NAT, DHCP at 10.0.2.15, no root needed. */
export interface QemuUserNetdev {
  type: 'user';
  /** Guest subnet, QEMU's `net=` (default 10.0.2.0/24: guest .15, gateway .2, DNS .3). */
  subnet?: string;
  hostForwards?: QemuHostForward[];
}

/** A virtio NIC. */
export interface QemuNicSpec {
  /** Device id (the netdev is `net-<id>`). */
  id: string;
  /** Unicast MAC, e.g. `52:54:00:12:34:56`. */
  mac: string;
  netdev: QemuUserNetdev;
}

/** A boot device class, in `bootOrder`. */
export type QemuBootDevice = 'disk' | 'cdrom' | 'network';

/** Everything needed to start one VM. */
export interface QemuVmSpec {
  name: string;
  uuid: string;
  vcpus: number;
  memoryMiB: number;
  /** vCPUs the VM can grow to live (`-smp N,maxcpus=M`); under TCG this also runs TCG single-threaded, see hotplug.ts. */
  maxVcpus?: number;
  /** Memory the VM can grow to live with DIMMs (`-m N,slots=S,maxmem=M`); the guest then needs about 256 MiB to boot. */
  maxMemoryMiB?: number;
  /** Only the i440fx `pc` machine for now: hot-plug works on it without pre-created root ports. */
  machine?: 'pc';
  accel: QemuAccel;
  /** TCG translation cache size (default 32 MiB; QEMU's 1 GiB default let one tiny guest grow to 930 MB). */
  tcgTranslationCacheMiB?: number;
  /** `-cpu` model; default `host` under KVM and QEMU's default under TCG. */
  cpuModel?: string;
  disks?: QemuDiskSpec[];
  /** An ISO in an IDE CD-ROM drive. */
  cdrom?: { path: string };
  /** A NoCloud seed ISO (volume label `cidata`) in a second IDE CD-ROM drive. */
  cloudInitSeed?: { path: string };
  /** Direct kernel boot. */
  kernel?: { path: string; initrdPath?: string; cmdline?: string };
  nics?: QemuNicSpec[];
  /** Firmware boot order; default `['disk', 'cdrom']`. The first disk/NIC of each class is used. */
  bootOrder?: QemuBootDevice[];
  /** First serial port: a unix socket to attach to, and/or a log file of everything it prints. */
  serial?: { socketPath?: string; logPath?: string };
  /** VNC console on a unix socket (adds a std VGA card). */
  vnc?: { socketPath: string };
  /** QMP monitor socket (QEMU is the server). */
  qmpSocketPath: string;
  /** qemu-guest-agent channel (virtio-serial port `org.qemu.guest_agent.0`) on a unix socket. */
  guestAgentSocketPath?: string;
  pidfile?: string;
  /** Detach from the caller (`-daemonize`): QEMU outlives the agent, which re-adopts it by pidfile and QMP. */
  daemonize?: boolean;
  /** Create the VM paused (`-S`); `cont` over QMP starts it. */
  startPaused?: boolean;
  /** virtio balloon device (default true). */
  balloon?: boolean;
  /** virtio RNG fed from /dev/urandom (default true). */
  rng?: boolean;
}
