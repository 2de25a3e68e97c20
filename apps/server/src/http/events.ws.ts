import { ApiError, EventSubscribe, type Event } from '@novacron/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { can, type Principal } from '../auth/principal';
import type { EventBus } from '../events/event-bus';
import type { Authenticate } from './register-routes';

const AUTH_TIMEOUT_MS = 5_000;
// A subscriber that cannot keep up is dropped rather than buffering without bound.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Whether a principal may see an event. System events (no tenant) need the permission globally. */
export function mayReceive(p: Principal, event: Event): boolean {
  return can(p, event.permission as never, event.tenantId);
}

/** `GET /api/v1/events`: one WebSocket streaming operation and lifecycle events the subscriber may see.
 * Authenticate with an `Authorization` header or, from browsers, a first message `{"type":"auth","token":"..."}`. */
export function registerEventsSocket(app: FastifyInstance, bus: EventBus, authenticate: Authenticate): void {
  app.get('/api/v1/events', { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
    let principal: Principal | null = null;
    let types: string[] = [];
    let unsubscribe: (() => void) | null = null;

    const fail = (code: string, message: string) => {
      socket.send(JSON.stringify({ type: 'error', code, message }));
      socket.close(4401, code);
    };
    const start = (p: Principal) => {
      principal = p;
      clearTimeout(timer);
      socket.send(JSON.stringify({ type: 'ready', userId: p.userId }));
      unsubscribe = bus.subscribe((event) => {
        if (!principal || !mayReceive(principal, event)) return;
        if (types.length && !types.some((t) => event.type === t || event.type.startsWith(`${t}.`))) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.close(1013, 'too slow');
        socket.send(JSON.stringify(event));
      });
    };
    const timer = setTimeout(() => fail('UNAUTHENTICATED', 'send {"type":"auth","token":...} first'), AUTH_TIMEOUT_MS);
    socket.on('close', () => {
      clearTimeout(timer);
      unsubscribe?.();
    });

    const authWith = async (headers: Record<string, string | undefined>) => {
      try {
        const p = await authenticate({ headers, ip: request.ip, id: request.id } as unknown as FastifyRequest);
        if (!p) return fail('UNAUTHENTICATED', 'credentials required');
        start(p);
      } catch (err) {
        fail(err instanceof ApiError ? err.code : 'UNAUTHENTICATED', err instanceof Error ? err.message : 'invalid credentials');
      }
    };

    if (request.headers.authorization) void authWith({ authorization: request.headers.authorization });

    socket.on('message', (raw) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return fail('BAD_REQUEST', 'messages are JSON');
      }
      const m = msg as { type?: string; token?: unknown };
      if (m.type === 'auth' && typeof m.token === 'string' && !principal) return void authWith({ authorization: `Bearer ${m.token}` });
      const sub = EventSubscribe.safeParse(msg);
      if (sub.success) {
        types = sub.data.types;
        return;
      }
      socket.send(JSON.stringify({ type: 'error', code: 'VALIDATION_FAILED', message: 'expected auth or subscribe' }));
    });
  });
}
