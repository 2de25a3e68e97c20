import { z } from 'zod';
import { DiskFormat } from '../agent-protocol';
import { Id, IdParams, Name, Operation, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

/** A storage pool. The `dir` driver keeps qcow2/raw files in a directory on each node. */
export const StoragePool = z.object({
  id: z.string(),
  name: z.string(),
  driver: z.literal('dir'),
  path: z.string(),
  /** Figures reported by the agents (summed over nodes); null until an agent reported. */
  capacityBytes: z.number().nullable(),
  availableBytes: z.number().nullable(),
  allocationBytes: z.number().nullable(),
  /** Sum of the sizes of its volumes (what guests may fill). */
  provisionedBytes: z.number(),
  volumes: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A storage pool as the API returns it. */
export type StoragePool = z.infer<typeof StoragePool>;

/** Body of `POST /api/v1/storage-pools`. */
export const StoragePoolCreate = z.strictObject({
  name: Name,
  driver: z.literal('dir').default('dir'),
  /** Absolute directory on the nodes. */
  path: z.string().min(2).max(1024).regex(/^\/[^\0]*$/, 'must be an absolute path'),
});

/** Where a volume is. */
export const VolumeState = z.enum(['creating', 'available', 'in-use', 'error']);

/** A disk volume in a pool, owned by a tenant. */
export const Volume = z.object({
  id: z.string(),
  name: z.string(),
  tenantId: z.string(),
  poolId: z.string(),
  nodeId: z.string().nullable(),
  format: DiskFormat,
  sizeGiB: z.number(),
  sizeBytes: z.number(),
  allocationBytes: z.number().nullable(),
  state: VolumeState,
  /** The VM and disk slot it is attached to. */
  attachedTo: z.object({ vmId: z.string(), diskId: z.string() }).nullable(),
  /** Set when the volume was made for a VM and is deleted with it. */
  ownerVmId: z.string().nullable(),
  /** Image or volume it was created from. */
  sourceImageId: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A volume as the API returns it. */
export type Volume = z.infer<typeof Volume>;

/** Sizes in whole GiB for humans; volumes are at most 16 TiB. */
export const SizeGiB = z.number().int().min(1).max(16_384);

/** Body of `POST /api/v1/volumes`. */
export const VolumeCreate = z.strictObject({
  name: Name,
  /** Pool name or id. */
  pool: z.string().min(1).max(64).default('default'),
  sizeGiB: SizeGiB,
  format: DiskFormat.default('qcow2'),
  /** Owning tenant; defaults to the caller's home tenant. */
  tenant: Id.optional(),
});

/** Body of `POST /api/v1/volumes/{id}/resize`: grow only. */
export const VolumeResize = z.strictObject({ sizeGiB: SizeGiB });

/** Filters of the volume list. */
export const VolumeListQuery = PageQuery.extend({
  pool: z.string().max(64).optional(),
  tenant: Id.optional(),
  state: VolumeState.optional(),
  text: z.string().max(200).optional(),
});

/** Storage pool and volume routes. */
export const storageRoutes = {
  'storagePools.list': defineRoute({
    method: 'GET', path: '/api/v1/storage-pools', access: 'storage:read', tag: 'storage',
    summary: 'Storage pools with capacity and allocation', query: PageQuery, response: Page(StoragePool),
  }),
  'storagePools.get': defineRoute({
    method: 'GET', path: '/api/v1/storage-pools/{id}', access: 'storage:read', tag: 'storage',
    summary: 'One storage pool (id or name)', params: IdParams, response: StoragePool,
  }),
  'storagePools.create': defineRoute({
    method: 'POST', path: '/api/v1/storage-pools', access: 'storage:write', status: 201, tag: 'storage',
    summary: 'Creates a dir storage pool (needs storage:write on every tenant)', body: StoragePoolCreate, response: StoragePool,
  }),
  'storagePools.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/storage-pools/{id}', access: 'storage:write', status: 204, tag: 'storage',
    summary: 'Deletes an empty storage pool (IN_USE while it holds volumes)', params: IdParams, response: z.void(),
  }),
  'volumes.list': defineRoute({
    method: 'GET', path: '/api/v1/volumes', access: 'storage:read', tenantScoped: true, tag: 'storage',
    summary: 'Volumes the caller may see, newest first', query: VolumeListQuery, response: Page(Volume),
  }),
  'volumes.get': defineRoute({
    method: 'GET', path: '/api/v1/volumes/{id}', access: 'storage:read', tenantScoped: true, tag: 'storage',
    summary: 'One volume', params: IdParams, response: Volume,
  }),
  'volumes.create': defineRoute({
    method: 'POST', path: '/api/v1/volumes', access: 'storage:write', tenantScoped: true, status: 202, tag: 'storage',
    summary: 'Creates an empty volume (quota: disk GiB); the operation result names the volume', body: VolumeCreate, response: Operation,
  }),
  'volumes.resize': defineRoute({
    method: 'POST', path: '/api/v1/volumes/{id}/resize', access: 'storage:write', tenantScoped: true, status: 202, tag: 'storage',
    summary: 'Grows a volume (also while attached to a running VM)', params: IdParams, body: VolumeResize, response: Operation,
  }),
  'volumes.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/volumes/{id}', access: 'storage:write', tenantScoped: true, status: 202, tag: 'storage',
    summary: 'Deletes a volume (IN_USE while attached)', params: IdParams, response: Operation,
  }),
};
