import { fillPath, routes, type Problem, type RouteDef, type RouteId, type RouteInput, type RouteOutput, type Routes } from '@novacron/api';

/** An API answer that was not a success: carries the problem+json body. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiRequestError';
    this.status = problem.status;
    this.code = problem.code;
  }
}

function problemError(res: Response, text: string, data: { code?: string } | undefined): ApiRequestError {
  return new ApiRequestError(
    data?.code ? (data as Problem) : { type: 'about:blank', title: res.statusText, status: res.status, detail: text.slice(0, 200), code: 'INTERNAL' },
  );
}

/** How the client finds the server and its credentials. */
export interface ClientOptions {
  baseUrl: string;
  /** A bearer token, or a function returning the current one (for refreshing clients). */
  token?: string | (() => string | undefined);
  /** Sends cookies (the browser's refresh cookie). */
  credentials?: RequestCredentials;
  fetch?: typeof fetch;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) qs.append(k, String(item));
    else qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

/** The typed client over the route table: `client.call('vms.list', { query: { limit: 10 } })`. */
export class NovaCronClient {
  constructor(private readonly opts: ClientOptions) {}

  /** The server's base URL. */
  get baseUrl(): string {
    return this.opts.baseUrl.replace(/\/$/, '');
  }

  private send(def: RouteDef, input: unknown, accept: string): Promise<Response> {
    const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    const url = this.baseUrl + fillPath(def.path, params) + queryString(query);
    const headers: Record<string, string> = { accept };
    const token = typeof this.opts.token === 'function' ? this.opts.token() : this.opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return (this.opts.fetch ?? fetch)(url, {
      method: def.method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : undefined,
      credentials: this.opts.credentials,
    });
  }

  /** Calls one route; throws ApiRequestError with the problem on failure. */
  async call<K extends RouteId>(id: K, input: RouteInput<Routes[K]> = {} as RouteInput<Routes[K]>): Promise<RouteOutput<Routes[K]>> {
    const res = await this.send(routes[id] as RouteDef, input, 'application/json');
    if (res.status === 204) return undefined as RouteOutput<Routes[K]>;
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw problemError(res, text, data);
    return data;
  }

  /**
   * Calls a route whose success body is not JSON (`produces`, e.g. the audit CSV export) and answers the successful Response
   * unread, so the caller can stream its body; throws ApiRequestError with the problem on failure.
   */
  async fetchRoute<K extends RouteId>(id: K, input: RouteInput<Routes[K]> = {} as RouteInput<Routes[K]>): Promise<Response> {
    const def = routes[id] as RouteDef;
    const res = await this.send(def, input, `${def.produces ?? 'application/json'}, application/problem+json`);
    if (res.ok) return res;
    const text = await res.text();
    let data: { code?: string } | undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    throw problemError(res, text, data);
  }
}

export type { RouteId, Routes };
