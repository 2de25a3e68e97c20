// One events WebSocket for the whole app: connects once signed in, reconnects with backoff, and turns each event into
// query invalidations, so what changes elsewhere (CLI, another tab, the agent) shows here without polling.
import type { Event, Operation } from '@novacron/api';
import { notifications } from '@mantine/notifications';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { collectionOf, keys } from '../api/query-keys';
import { getAccessToken, refreshSession, sessionLost } from '../api/session';
import { useAuth } from './auth-context';

/** Connection state of the events socket. */
export type EventsStatus = 'offline' | 'connecting' | 'live';

interface EventsValue {
  status: EventsStatus;
  /** The most recent events, newest first (for the overview). */
  recent: Event[];
}

const EventsContext = createContext<EventsValue>({ status: 'offline', recent: [] });
const RECENT = 50;
const MAX_BACKOFF_MS = 30_000;

/** What an event makes stale: its resource, the resources an operation touches, and the caller's own view of itself. */
export function invalidateFor(qc: QueryClient, event: Event): void {
  const paths = new Set<string>();
  if (event.resource) paths.add(event.resource);
  const resources = (event.data as { resources?: unknown }).resources;
  if (Array.isArray(resources)) for (const r of resources) if (typeof r === 'string') paths.add(r);
  if (event.type.startsWith('operation.')) {
    const op = event.data as { id?: string };
    paths.add(op.id ? `/api/v1/operations/${op.id}` : '/api/v1/operations');
  }
  for (const path of paths) {
    const c = collectionOf(path);
    if (!c) continue;
    void qc.invalidateQueries({ queryKey: [c.collection, 'list'] });
    if (c.id) void qc.invalidateQueries({ queryKey: [c.collection, 'detail', c.id] });
  }
  // Type prefix catches events without a resource path (`role.updated` changes what `me` may do).
  const family = event.type.split('.')[0];
  if (['user', 'role', 'tenant', 'token', 'group'].includes(family)) void qc.invalidateQueries({ queryKey: keys.me });
  if (family === 'settings') void qc.invalidateQueries({ queryKey: keys.settings });
  void qc.invalidateQueries({ queryKey: ['overview'] });
}

// An async operation the user started failed after its 202: say so wherever they are, with the error.
function notifyOwnFailure(event: Event, userId: string | undefined): void {
  if (event.type !== 'operation.updated' || !userId) return;
  const op = event.data as Partial<Operation>;
  if (op.status !== 'failed' || op.createdBy !== userId) return;
  notifications.show({ color: 'red', title: `${op.kind ?? 'Operation'} failed`, message: op.error ? `${op.error.message} (${op.error.code})` : 'See Operations for details.' });
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/v1/events`;
}

/** Keeps the socket open while signed in. */
export function EventsProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const { status: authStatus, me } = useAuth();
  const [status, setStatus] = useState<EventsStatus>('offline');
  const [recent, setRecent] = useState<Event[]>([]);
  const attempt = useRef(0);
  const meId = useRef<string | undefined>(undefined);
  meId.current = me?.id;
  const connectedBefore = useRef(false);

  useEffect(() => {
    if (authStatus !== 'authenticated') return;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const schedule = () => {
      if (stopped) return;
      const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt.current);
      attempt.current += 1;
      timer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
    };

    const connect = async () => {
      if (stopped) return;
      const token = getAccessToken() ?? (await refreshSession())?.accessToken;
      if (stopped) return;
      if (!token) return schedule();
      setStatus('connecting');
      const ws = new WebSocket(socketUrl());
      socket = ws;
      let expired = false;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
      ws.onmessage = (msg) => {
        let data: { type?: string; code?: string };
        try {
          data = JSON.parse(String(msg.data));
        } catch {
          return;
        }
        if (data.type === 'ready') {
          attempt.current = 0;
          setStatus('live');
          // Whatever happened while disconnected is unknown: refetch what is on screen.
          if (connectedBefore.current) void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
          connectedBefore.current = true;
          return;
        }
        if (data.type === 'error') {
          expired = data.code === 'TOKEN_EXPIRED' || data.code === 'UNAUTHENTICATED';
          return;
        }
        const event = data as Event;
        setRecent((prev) => [event, ...prev].slice(0, RECENT));
        invalidateFor(qc, event);
        notifyOwnFailure(event, meId.current);
      };
      ws.onclose = async () => {
        if (socket !== ws || stopped) return;
        setStatus('offline');
        if (expired && !(await refreshSession())) return sessionLost('UNAUTHENTICATED');
        schedule();
      };
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close(1000, 'signed out');
      setStatus('offline');
    };
  }, [authStatus, qc]);

  const value = useMemo(() => ({ status, recent }), [status, recent]);
  return <EventsContext.Provider value={value}>{children}</EventsContext.Provider>;
}

/** The events connection and recent events. */
export function useEvents(): EventsValue {
  return useContext(EventsContext);
}
