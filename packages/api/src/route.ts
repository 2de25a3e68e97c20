import { z } from 'zod';
import type { Permission } from './permissions';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call a route: anyone, any signed-in principal, or holders of one permission. */
export type Access = 'public' | 'authenticated' | Permission;

/** One route of the contract: declared once, used by the server, the OpenAPI document and the client. */
export interface RouteDef<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/v1/vms/{id}`. */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Success body; `z.void()` for 204. */
  response: R;
  /** Success status: 200 unless said otherwise; 202 for async operations. */
  status?: 200 | 201 | 202 | 204;
  /** Permission checks are tenant-scoped for this route (the service resolves the tenant). */
  tenantScoped?: boolean;
  /**
   * Media type of a success body that is not JSON (a file download). `response` then describes the body as a string; the
   * handler answers a `StreamedBody` that is sent as it is produced, and clients read it with `NovaCronClient.fetchRoute`.
   */
  produces?: NonJsonMediaType;
}

/** Media types a route may answer other than JSON. */
export type NonJsonMediaType = 'text/csv';

/** A non-JSON success body, produced piece by piece so a large export never sits in memory. */
export type StreamedBody = AsyncIterable<string>;

/** What a route's handler returns: the JSON response, or for a `produces` route the streamed body. */
export type HandlerOutput<D> = D extends { produces: NonJsonMediaType } ? StreamedBody : RouteOutput<D>;

/** Declares a route whose success body is not JSON (`produces`); its handler answers a `StreamedBody`. */
export function defineRoute<
  P extends z.ZodType = z.ZodObject<{}>,
  Q extends z.ZodType = z.ZodObject<{}>,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(def: RouteDef<P, Q, B, R> & { produces: NonJsonMediaType }): RouteDef<P, Q, B, R> & { produces: NonJsonMediaType };
/** Declares a route, keeping its schema types for the server and the client. */
export function defineRoute<
  P extends z.ZodType = z.ZodObject<{}>,
  Q extends z.ZodType = z.ZodObject<{}>,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R>;
export function defineRoute(def: RouteDef): RouteDef {
  return def;
}

/** The inputs a route accepts, as the caller writes them. */
export type RouteInput<D> = D extends RouteDef<infer P, infer Q, infer B, z.ZodType>
  ? (z.input<P> extends Record<string, never> ? { params?: undefined } : { params: z.input<P> }) & {
      query?: z.input<Q>;
    } & (B extends z.ZodUndefined ? { body?: undefined } : { body: z.input<B> })
  : never;

/** The inputs a route handler receives, after validation. */
export interface ParsedInput<D> {
  params: D extends RouteDef<infer P, z.ZodType, z.ZodType, z.ZodType> ? z.output<P> : never;
  query: D extends RouteDef<z.ZodType, infer Q, z.ZodType, z.ZodType> ? z.output<Q> : never;
  body: D extends RouteDef<z.ZodType, z.ZodType, infer B, z.ZodType> ? z.output<B> : never;
}

/** What a route answers with on success. */
export type RouteOutput<D> = D extends RouteDef<z.ZodType, z.ZodType, z.ZodType, infer R> ? z.output<R> : never;

/** Fills `{name}` placeholders of a contract path. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
