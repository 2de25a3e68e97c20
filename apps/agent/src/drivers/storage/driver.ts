import type { PoolSpec, PoolStatus } from '@novacron/api';

/** Volume formats a storage driver may support. */
export type VolumeFormat = 'qcow2' | 'raw';

/** What a storage driver can do; callers branch on these, never on the driver's name. */
export interface StorageCapabilities {
  formats: VolumeFormat[];
  /** Copy-on-write volumes backed by an image or another volume. */
  linkedClones: boolean;
  /** Volumes can be grown (never shrunk). */
  grow: boolean;
  /** Internal qcow2 snapshots are possible on this pool's volumes. */
  internalSnapshots: boolean;
  /** Several nodes see the same volumes (live migration without copying disks). */
  shared: boolean;
}

/** A storage driver's name and capabilities. */
export interface StorageDriverInfo {
  name: string;
  capabilities: StorageCapabilities;
}

/**
 * How a hypervisor reaches a volume. Only files for now; a network driver (rbd, iscsi, nbd) adds its own variant and the
 * hypervisor driver learns to attach it.
 */
export type VolumeAttachment = { type: 'file'; path: string; format: VolumeFormat };

/** Where a new volume's content comes from. */
export type VolumeOrigin = { path: string; format: string };

/** Size figures of one volume. */
export interface VolumeInfo {
  sizeBytes: number;
  allocationBytes: number;
}

/** A storage driver serves the volumes of pools of its kind on this node. */
export interface StorageDriver {
  info(): StorageDriverInfo;
  /** Makes the pool usable (creates its directory); idempotent. */
  ensurePool(pool: PoolSpec): Promise<void>;
  /** Capacity, free space and what the pool's volumes take. Never throws: problems go into `error`. */
  poolStatus(pool: PoolSpec): Promise<PoolStatus>;
  /** How QEMU reaches the volume (does not check that it exists). */
  attachment(pool: PoolSpec, volumeId: string, format: VolumeFormat): VolumeAttachment;
  /** Whether the volume exists. */
  exists(pool: PoolSpec, volumeId: string, format: VolumeFormat): Promise<boolean>;
  /** Creates a volume: empty, a full copy of `from`, or (`linked`) a qcow2 overlay over it. Fails if it exists. */
  create(pool: PoolSpec, req: { volumeId: string; format: VolumeFormat; sizeBytes: number; from?: VolumeOrigin; linked?: boolean }): Promise<VolumeInfo>;
  /** Grows a volume to `sizeBytes`; refuses to shrink. */
  resize(pool: PoolSpec, volumeId: string, format: VolumeFormat, sizeBytes: number): Promise<VolumeInfo>;
  /** Sizes of a volume. */
  volumeInfo(pool: PoolSpec, volumeId: string, format: VolumeFormat): Promise<VolumeInfo>;
  /** Deletes a volume; absent is fine (idempotent). */
  delete(pool: PoolSpec, volumeId: string, format: VolumeFormat): Promise<void>;
}
