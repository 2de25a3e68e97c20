/** Table types of the compute migration (004): nodes, storage, networks, images, VMs. Same conventions as schema.ts. */
export interface ComputeTables {
  nodes: NodeRow;
  node_join_tokens: NodeJoinTokenRow;
  storage_pools: StoragePoolRow;
  networks: NetworkRow;
  images: ImageRow;
  vms: VmRow;
  vm_status: VmStatusRow;
  volumes: VolumeRow;
  vm_disks: VmDiskRow;
  vm_nics: VmNicRow;
  vm_snapshots: VmSnapshotRow;
  console_tickets: ConsoleTicketRow;
  host_port_claims: HostPortClaimRow;
}

/** A hypervisor node; `inventory` is the JSON the agent sent in `hello`. */
export interface NodeRow {
  id: string;
  name: string;
  hostname: string;
  state: string;
  credential_hash: string | null;
  inventory: string;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A single-use token an agent joins with. */
export interface NodeJoinTokenRow {
  id: string;
  token_hash: string;
  description: string;
  created_by: string | null;
  expires_at: string;
  used_at: string | null;
  node_id: string | null;
  created_at: string;
}

/** A storage pool; capacity figures come from agents. */
export interface StoragePoolRow {
  id: string;
  name: string;
  driver: string;
  path: string;
  capacity_bytes: number | null;
  available_bytes: number | null;
  allocation_bytes: number | null;
  created_at: string;
  updated_at: string;
}

/** A network; tenant_id null = shared. */
export interface NetworkRow {
  id: string;
  name: string;
  driver: string;
  cidr: string;
  options: string;
  description: string;
  tenant_id: string | null;
  created_at: string;
  updated_at: string;
}

/** An image of the library. */
export interface ImageRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: string;
  format: string | null;
  status: string;
  size_bytes: number | null;
  virtual_size_bytes: number | null;
  sha256: string | null;
  node_id: string | null;
  source_type: string;
  source_detail: string;
  error_message: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A VM's spec (desired state). `phase`: creating | ready | deleting. `boot` and `cloud_init` are JSON. */
export interface VmRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  labels: string;
  node_id: string | null;
  phase: string;
  vcpus: number;
  memory_mib: number;
  /** Live-growth ceilings (migration 006); null = no hotplug room. */
  max_vcpus: number | null;
  max_memory_mib: number | null;
  restart_policy: string;
  power_state: string;
  revision: number;
  shutdown_timeout: number;
  boot: string;
  cloud_init: string | null;
  is_template: number;
  pending_restart: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A VM's observed state as its agent reported it. */
export interface VmStatusRow {
  vm_id: string;
  state: string;
  observed_revision: number;
  pid: number | null;
  accel: string | null;
  since: string;
  error_code: string | null;
  error_message: string | null;
  guest: string | null;
  updated_at: string;
}

/** A volume in a pool. */
export interface VolumeRow {
  id: string;
  tenant_id: string;
  name: string;
  pool_id: string;
  node_id: string | null;
  format: string;
  size_bytes: number;
  allocation_bytes: number | null;
  state: string;
  attached_vm_id: string | null;
  attached_disk_id: string | null;
  owner_vm_id: string | null;
  source_image_id: string | null;
  backing_volume_id: string | null;
  created_at: string;
  updated_at: string;
}

/** One disk slot of a VM: a volume or an ISO image. */
export interface VmDiskRow {
  id: string;
  vm_id: string;
  position: number;
  volume_id: string | null;
  image_id: string | null;
  media: string;
  bus: string;
  format: string;
  readonly: number;
}

/** One NIC of a VM. */
export interface VmNicRow {
  id: string;
  vm_id: string;
  position: number;
  network_id: string;
  mac: string;
  model: string;
  port_forwards: string;
}

/** A snapshot of a VM. */
export interface VmSnapshotRow {
  id: string;
  vm_id: string;
  name: string;
  description: string;
  includes_ram: number;
  vm_state: string;
  created_at: string;
}

/** A single-use console ticket, stored hashed. */
export interface ConsoleTicketRow {
  id: string;
  token_hash: string;
  vm_id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A host port a NIC's port forward binds on its VM's node (migration 007); unique per node and protocol. */
export interface HostPortClaimRow {
  node_id: string;
  protocol: string;
  host_port: number;
  vm_id: string;
  nic_id: string;
}
