import type { RouteDef } from '@novacron/api';
import type { EventInput } from '../events/event-bus';
import type { RequestContext } from './request-context';

// Administration resources have no lifecycle of their own to report, so a successful change to one is announced here:
// open dashboards refetch what changed (the event names it by path and carries no content).
const ANNOUNCED = new Set(['users', 'roles', 'tenants', 'groups', 'settings']);

/** How to announce a successful request to one route, or undefined when it needs no announcement. */
export type ChangeAnnouncer = (ctx: RequestContext) => EventInput | undefined;

/**
 * The announcer of a mutating route of an administration resource: event `<kind>.changed` (`user.changed`, ...) about
 * `/api/v1/<collection>/<id>`, seen by whoever may list that collection (the access of its GET list route), on the
 * tenant the handler noted for the audit log (null, so global readers only, when it noted none).
 */
export function changeAnnouncer(routeId: string, def: RouteDef, routes: Record<string, RouteDef>): ChangeAnnouncer | undefined {
  if (def.method === 'GET' || !def.tag || !ANNOUNCED.has(def.tag)) return undefined;
  const m = /^(\/api\/v1\/[a-z-]+)(?:\/\{(\w+)\})?/.exec(def.path);
  if (!m) return undefined;
  const [, base, idParam] = m;
  const list = Object.values(routes).find((r) => r.method === 'GET' && r.path === base);
  if (!list || list.access === 'public' || list.access === 'authenticated') return undefined;
  const kind = def.tag === 'settings' ? 'settings' : def.tag.replace(/s$/, '');
  return (ctx) => {
    const id = idParam ? (ctx.request.params as Record<string, string>)[idParam] : undefined;
    return {
      type: `${kind}.changed`,
      tenantId: ctx.audit.tenantId ?? null,
      permission: list.access as EventInput['permission'],
      resource: id ? `${base}/${encodeURIComponent(id)}` : base,
      data: { ...(id ? { id } : {}), route: routeId },
    };
  };
}
