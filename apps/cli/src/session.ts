import { routes, type RouteDef, type RouteInput, type RouteOutput } from '@novacron/api';
import { ApiRequestError, NovaCronClient, type RouteId, type Routes } from '@novacron/client';
import type { GlobalOptions } from './args';
import { readCredentials, withCredentialsLock, writeCredentials, type Credentials } from './credentials';
import { NotLoggedInError } from './exit-codes';

// Refresh a little before expiry so a token does not expire between the check and the server reading it.
const EXPIRY_MARGIN_MS = 10_000;

/** The `exp` of a JWT in milliseconds, read without verifying (the server verifies); undefined when not a JWT. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The API as the CLI uses it: a token from `--token`/NOVACRON_TOKEN or from stored credentials, which are refreshed
 * (under a file lock, written back) when the access token has expired or the server answers TOKEN_EXPIRED.
 */
export class ApiSession {
  private stored: Credentials | undefined;

  constructor(
    readonly globals: GlobalOptions,
    readonly credentialsFile: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.stored = readCredentials(credentialsFile);
  }

  /** Base URL of the server. */
  get server(): string {
    return this.globals.server;
  }

  /** Stored credentials when they belong to the server in use. */
  get credentials(): Credentials | undefined {
    return this.stored && this.stored.server === this.server ? this.stored : undefined;
  }

  /** A client with a fixed token (or none), for calls that manage tokens themselves such as login. */
  client(token?: string): NovaCronClient {
    return new NovaCronClient({ baseUrl: this.server, token, fetch: this.fetchImpl });
  }

  /** Calls a route with the current credentials; refreshes once on an expired access token. */
  async call<K extends RouteId>(id: K, input?: RouteInput<Routes[K]>): Promise<RouteOutput<Routes[K]>> {
    const def = routes[id] as RouteDef;
    if (def.access === 'public' && !this.globals.token && !this.credentials) return this.client().call(id, input);
    let token = await this.token();
    try {
      return await this.client(token).call(id, input);
    } catch (err) {
      if (!(err instanceof ApiRequestError) || err.code !== 'TOKEN_EXPIRED' || this.globals.token) throw err;
      token = await this.refresh(token);
      return this.client(token).call(id, input);
    }
  }

  /**
   * Calls a contract route whose body is not JSON (`produces`, such as the audit CSV export) and answers the unread Response;
   * refreshes once on an expired access token like `call`.
   */
  async fetchRoute<K extends RouteId>(id: K, input?: RouteInput<Routes[K]>): Promise<Response> {
    let token = await this.token();
    try {
      return await this.client(token).fetchRoute(id, input);
    } catch (err) {
      if (!(err instanceof ApiRequestError) || err.code !== 'TOKEN_EXPIRED' || this.globals.token) throw err;
      token = await this.refresh(token);
      return this.client(token).fetchRoute(id, input);
    }
  }

  /**
   * A request outside the JSON contract (a streamed upload body) with the current bearer token; `path` starts with `/api/`.
   * The caller reads the answer (see `readApiAnswer` in `raw-request.ts`).
   */
  async fetchRaw(path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    const token = await this.token();
    return this.fetchImpl(this.server + path, { ...init, headers: { accept: 'application/json', ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
  }

  /** The bearer token to send; refreshes stored credentials that have expired. Throws NotLoggedInError when there is none. */
  async token(): Promise<string> {
    if (this.globals.token) return this.globals.token;
    const c = this.credentials;
    if (!c) {
      const other = this.stored ? ` (stored credentials are for ${this.stored.server})` : '';
      throw new NotLoggedInError(`not logged in to ${this.server}${other}: run novacron login, or pass --token / set NOVACRON_TOKEN`);
    }
    const exp = jwtExpiry(c.accessToken);
    if (exp !== undefined && exp - EXPIRY_MARGIN_MS < Date.now()) return this.refresh(c.accessToken);
    return c.accessToken;
  }

  /** Stores a new token pair for this server (login). */
  save(c: Omit<Credentials, 'server'>): void {
    this.stored = { server: this.server, ...c };
    writeCredentials(this.credentialsFile, this.stored);
  }

  /** Exchanges the stored refresh token for a new pair, unless another process already did while we waited for the lock. */
  private async refresh(usedAccessToken: string): Promise<string> {
    return withCredentialsLock(this.credentialsFile, async () => {
      const current = readCredentials(this.credentialsFile);
      if (!current || current.server !== this.server) throw new NotLoggedInError(`not logged in to ${this.server}: run novacron login`);
      if (current.accessToken !== usedAccessToken) {
        const exp = jwtExpiry(current.accessToken);
        if (exp === undefined || exp - EXPIRY_MARGIN_MS > Date.now()) {
          this.stored = current;
          return current.accessToken;
        }
      }
      let pair;
      try {
        pair = await this.client().call('auth.refresh', { body: { refreshToken: current.refreshToken } });
      } catch (err) {
        if (err instanceof ApiRequestError && (err.status === 401 || err.status === 400 || err.status === 403)) {
          throw new NotLoggedInError(`session ended (${err.code}): run novacron login`);
        }
        throw err;
      }
      this.stored = { ...current, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
      writeCredentials(this.credentialsFile, this.stored);
      return pair.accessToken;
    });
  }
}
