import { ApiError, toJsonSchema, type FieldError, type HandlerOutput, type ParsedInput, type RouteDef } from '@novacron/api';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { can, type Principal } from '../auth/principal';
import type { AuditService } from '../audit/audit.service';
import { RequestContext } from './request-context';
import type { EventBus } from '../events/event-bus';
import { changeAnnouncer } from './change-events';
import { drainRequest } from './drain-request';

// A body sent to a streamed route that takes none is read and dropped up to this size (the app's body limit).
const MAX_IGNORED_BODY_BYTES = 1024 * 1024;

/** A route handler: validated input in, the route's response (or, for a non-JSON route, its streamed body) out. */
export type Handler<D> = (input: ParsedInput<D>, ctx: RequestContext) => Promise<HandlerOutput<D>> | HandlerOutput<D>;

/** Handlers for a group of routes, checked against the contract at compile time. */
export type Handlers<T> = { [K in keyof T]: Handler<T[K]> };

/** Resolves the principal of a request (null when no credentials were sent; throws on bad ones). */
export type Authenticate = (request: FastifyRequest) => Promise<Principal | null>;

// PostgreSQL cannot store U+0000 in text (SQLite truncates at it): refuse it at the door, naming the field, for every route.
function findNul(value: unknown, path: string[] = [], depth = 0): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = findNul(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string, errors: FieldError[]): unknown {
  const nul = findNul(value);
  if (nul) {
    errors.push({ in: where, path: nul.join('.'), message: 'must not contain NUL (U+0000) characters' });
    return undefined;
  }
  if (!schema) {
    const empty = value === undefined || value === null || (typeof value === 'object' && Object.keys(value as object).length === 0);
    if (!empty) errors.push({ in: where, path: '', message: `this route takes no ${where}` });
    return {};
  }
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of keys) errors.push({ in: where, path: path.map(String).join('.'), message: issue.message });
  }
  return undefined;
}

/** Registers every route of a contract group with its handler: auth, permission, validation, audit, serialisation. */
export function registerRoutes<T extends Record<string, RouteDef>>(
  app: FastifyInstance,
  deps: { authenticate: Authenticate; audit: AuditService; events: Pick<EventBus, 'publish'> },
  routes: T,
  handlers: Handlers<T>,
): void {
  for (const [id, def] of Object.entries(routes)) {
    const handler = handlers[id as keyof T] as Handler<RouteDef>;
    const status = def.status ?? 200;
    const mutating = def.method !== 'GET';
    const announce = changeAnnouncer(id, def, routes);
    app.route({
      method: def.method,
      url: def.path.replace(/\{(\w+)\}/g, ':$1'),
      // A non-JSON body (a download) is streamed as produced, so it has no response schema to serialise with.
      schema: status === 204 || def.produces ? {} : { response: { [status]: toJsonSchema(def.response, 'output') } },
      handler: async (request, reply) => {
        const principal = await deps.authenticate(request);
        const ctx = new RequestContext(principal, request, reply);
        try {
          if (def.access !== 'public') {
            if (!principal) throw new ApiError('UNAUTHENTICATED', 'sign in or send a bearer token');
            if (def.access !== 'authenticated' && !can(principal, def.access)) {
              await deps.audit.append({
                actorId: principal.userId,
                actorLabel: principal.email,
                tenantId: principal.tenantId,
                action: 'permission.denied',
                target: id,
                outcome: 'denied',
                ip: request.ip,
                requestId: request.id,
                details: { permission: def.access },
              });
              ctx.audit.skip = true; // recorded above as a denial, not again as a failed request
              throw new ApiError('FORBIDDEN', `missing permission ${def.access}`);
            }
          }
          const errors: FieldError[] = [];
          const input = {
            params: parsePart(def.params, request.params, 'params', errors),
            query: parsePart(def.query, request.query, 'query', errors),
            body: def.body ? parsePart(def.body, request.body, 'body', errors) : parsePart(undefined, request.body, 'body', errors),
          } as ParsedInput<RouteDef>;
          if (errors.length) throw new ApiError('VALIDATION_FAILED', `invalid ${errors[0].in}: ${errors[0].path || '(root)'} ${errors[0].message}`, errors);
          const result = await handler(input, ctx);
          if (mutating) await auditRequest(deps.audit, id, ctx, 'success');
          const change = announce?.(ctx);
          if (change) deps.events.publish(change);
          if (status === 202 && result && typeof result === 'object' && 'id' in result && 'kind' in result) {
            reply.header('location', `/api/v1/operations/${(result as { id: string }).id}`);
          }
          reply.code(status);
          // Errors the handler can find (validation, scope) are thrown before the first byte; a failure mid-stream aborts the response.
          if (def.produces) {
            await drainRequest(request.raw, MAX_IGNORED_BODY_BYTES);
            return reply.type(def.produces).send(Readable.from(result as AsyncIterable<string>));
          }
          return status === 204 ? reply.send() : result;
        } catch (err) {
          // Anonymous failures are audited only when the handler named an actor (e.g. a failed login).
          if (mutating && (principal !== null || ctx.audit.actorLabel)) await auditRequest(deps.audit, id, ctx, 'failure', err);
          throw err;
        }
      },
    });
  }
}

async function auditRequest(audit: AuditService, action: string, ctx: RequestContext, outcome: string, err?: unknown) {
  if (ctx.audit.skip) return;
  const p = ctx.principal;
  const params = ctx.request.params as Record<string, string> | undefined;
  await audit.append({
    actorId: ctx.audit.actorId !== undefined ? ctx.audit.actorId : (p?.userId ?? null),
    actorLabel: ctx.audit.actorLabel ?? (p ? (p.kind === 'token' ? `${p.email} (token ${p.tokenId})` : p.email) : 'anonymous'),
    tenantId: ctx.audit.tenantId !== undefined ? ctx.audit.tenantId : (p?.tenantId ?? null),
    action,
    // The raw path value may be anything a client sent (a failed request is audited too): keep it storable.
    target: ctx.audit.target !== undefined ? ctx.audit.target : params?.id !== undefined ? String(params.id).replace(/\u0000/g, '\uFFFD').slice(0, 200) : null,
    outcome,
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: { ...(ctx.audit.details ?? {}), ...(err instanceof ApiError ? { error: err.code } : err ? { error: 'INTERNAL' } : {}) },
  });
}
