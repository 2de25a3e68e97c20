import { z } from 'zod';

/** One event on the `/api/v1/events` WebSocket. */
export const Event = z.object({
  /** Dotted type: `operation.updated`, `vm.started`, `node.offline`, ... */
  type: z.string(),
  time: z.string(),
  /** Tenant the event belongs to; null for system events (seen by holders of global permissions). */
  tenantId: z.string().nullable(),
  /** The permission a subscriber needs to see it. */
  permission: z.string(),
  /** Resource path the event is about, e.g. `/api/v1/vms/abc`. */
  resource: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
/** An event as published and delivered. */
export type Event = z.infer<typeof Event>;

/** Messages a client may send on the events socket. */
export const EventSubscribe = z.strictObject({ type: z.literal('subscribe'), types: z.array(z.string()).max(100) });
