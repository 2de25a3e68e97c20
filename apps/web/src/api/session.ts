// The browser session: the access token lives in memory only; the refresh token is the httpOnly cookie the server sets.
import type { LoginResult } from '@novacron/api';

type SessionLost = (reason: string) => void;
type TokenListener = (result: LoginResult) => void;

let accessToken: string | undefined;
let inflight: Promise<LoginResult | null> | null = null;
const lostListeners = new Set<SessionLost>();
const tokenListeners = new Set<TokenListener>();

/** The current access token, if signed in. */
export function getAccessToken(): string | undefined {
  return accessToken;
}

/** Stores a new token pair's access token (the refresh token stays in its cookie) and tells listeners. */
export function acceptLogin(result: LoginResult): void {
  accessToken = result.accessToken;
  for (const l of tokenListeners) l(result);
}

/** Forgets the access token (sign-out). */
export function clearSession(): void {
  accessToken = undefined;
}

/** Called with every new token pair (login, refresh): the auth context keeps `me` current with it. */
export function onTokens(listener: TokenListener): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

/** Called when the session is gone for good (revoked, expired refresh token): the app goes back to login. */
export function onSessionLost(listener: SessionLost): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/** Announces a lost session to the app. */
export function sessionLost(reason: string): void {
  accessToken = undefined;
  for (const l of lostListeners) l(reason);
}

async function postRefresh(): Promise<LoginResult | null> {
  const res = await fetch('/api/v1/auth/refresh', {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
  });
  if (!res.ok) return null;
  return (await res.json()) as LoginResult;
}

/** Trades the refresh cookie for a new pair. One at a time per page, and per browser through a Web Lock:
 * refresh tokens rotate on every use and a reused one revokes the session, so two tabs must never race. */
export function refreshSession(): Promise<LoginResult | null> {
  if (inflight) return inflight;
  const before = accessToken;
  const run = async (): Promise<LoginResult | null> => {
    // Another tab may have refreshed while this one waited for the lock; the cookie it left is the current one.
    const result = await postRefresh().catch(() => null);
    if (result) acceptLogin(result);
    else if (accessToken === before) accessToken = undefined;
    return result;
  };
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const started = (locks ? locks.request('novacron-refresh', run) : run()) as Promise<LoginResult | null>;
  const p = started.finally(() => {
    inflight = null;
  });
  inflight = p;
  return p;
}

let boot: Promise<LoginResult | null> | null = null;

/** The one restore-from-cookie attempt of a page load; main.tsx starts it before React renders so it overlaps loading code. */
export function bootstrapSession(): Promise<LoginResult | null> {
  boot ??= refreshSession();
  return boot;
}
