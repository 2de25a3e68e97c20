import { z } from 'zod';

/** Resource ids: URL-safe, at most 64 characters. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be an id');

/** `{id}` path parameters. */
export const IdParams = z.strictObject({ id: Id });

/** ISO-8601 timestamps on the wire. */
export const Timestamp = z.string();

/** Human names of resources. */
export const Name = z.string().trim().min(1).max(63).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore; starting with a letter or digit');

/** Free text labels: key → value. */
export const Labels = z.record(z.string().min(1).max(63).regex(/^[A-Za-z0-9._/-]+$/), z.string().max(255));

/** Pagination query parameters shared by every list. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(512).optional(),
});

/** One page of a list: items and the cursor of the next page (null at the end). */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** An empty object: answers that carry nothing. */
export const Empty = z.object({});

/** Status of an async operation. */
export const OperationStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);

/** An async operation: anything that can take more than a second returns one with 202. */
export const Operation = z.object({
  id: Id,
  kind: z.string(),
  status: OperationStatus,
  progress: z.number().min(0).max(100),
  mayCancel: z.boolean(),
  tenantId: Id.nullable(),
  resources: z.array(z.string()),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** An async operation as the API returns it. */
export type Operation = z.infer<typeof Operation>;
