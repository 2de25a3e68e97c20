import { z } from 'zod';
import { ImageKind } from '../agent-protocol';
import { Id, IdParams, Name, Operation, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

/** Whether an image can be used. */
export const ImageStatus = z.enum(['importing', 'ready', 'error']);

/** An image in the library: a disk (qcow2/raw), an ISO, a kernel or an initrd. */
export const Image = z.object({
  id: z.string(),
  name: z.string(),
  kind: ImageKind,
  /** qcow2 or raw for disks; iso, kernel, initrd otherwise; null while importing. */
  format: z.string().nullable(),
  status: ImageStatus,
  sizeBytes: z.number().nullable(),
  virtualSizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  tenantId: z.string(),
  /** Node whose image store holds it. */
  nodeId: z.string().nullable(),
  source: z.object({ type: z.enum(['path', 'url', 'upload']), detail: z.string() }),
  error: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** An image as the API returns it. */
export type Image = z.infer<typeof Image>;

/** Body of `POST /api/v1/images`: import from a path inside NOVACRON_IMPORT_DIRS or from an http(s) URL. */
export const ImageCreate = z.strictObject({
  name: Name,
  kind: ImageKind,
  source: z.union([
    z.strictObject({ path: z.string().min(2).max(4096).regex(/^\/[^\0]*$/, 'must be an absolute path') }),
    z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(4096) }),
  ]),
  /** Owning tenant; defaults to the caller's home tenant. */
  tenant: Id.optional(),
});

/** Query of `POST /api/v1/images/upload` (the body is the raw bytes, `application/octet-stream`). */
export const ImageUploadQuery = z.strictObject({ name: Name, kind: ImageKind, tenant: Id.optional() });

/** Filters of the image list. */
export const ImageListQuery = PageQuery.extend({
  kind: ImageKind.optional(),
  status: ImageStatus.optional(),
  tenant: Id.optional(),
  text: z.string().max(200).optional(),
});

/** Image library routes. */
export const imageRoutes = {
  'images.list': defineRoute({
    method: 'GET', path: '/api/v1/images', access: 'image:read', tenantScoped: true, tag: 'images',
    summary: 'Images the caller may see, newest first', query: ImageListQuery, response: Page(Image),
  }),
  'images.get': defineRoute({
    method: 'GET', path: '/api/v1/images/{id}', access: 'image:read', tenantScoped: true, tag: 'images',
    summary: 'One image', params: IdParams, response: Image,
  }),
  'images.create': defineRoute({
    method: 'POST', path: '/api/v1/images', access: 'image:write', tenantScoped: true, status: 202, tag: 'images',
    summary: 'Imports an image from a path on the node (inside NOVACRON_IMPORT_DIRS) or an http(s) URL; the operation result names the image',
    body: ImageCreate, response: Operation,
  }),
  'images.upload': defineRoute({
    method: 'POST', path: '/api/v1/images/upload', access: 'image:write', tenantScoped: true, status: 202, tag: 'images',
    summary: 'Imports an image streamed in the request body (Content-Type: application/octet-stream); the operation result names the image',
    query: ImageUploadQuery, response: Operation,
  }),
  'images.delete': defineRoute({
    method: 'DELETE', path: '/api/v1/images/{id}', access: 'image:delete', tenantScoped: true, status: 204, tag: 'images',
    summary: 'Deletes an image no VM or volume uses (IN_USE otherwise)', params: IdParams, response: z.void(),
  }),
};
