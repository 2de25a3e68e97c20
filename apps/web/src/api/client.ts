// The one API client of the dashboard: typed calls over the contract, bearer token from memory, silent refresh.
import { NovaCronClient } from '@novacron/client';
import { getAccessToken, refreshSession, sessionLost } from './session';

// Answers to these never mean "your access token expired": a refresh would be pointless or harmful.
const NO_RETRY = ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/setup', '/api/v1/auth/register'];

async function problemCode(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as { code?: string };
    return body.code;
  } catch {
    return undefined;
  }
}

/** fetch that, when a call with a bearer token answers 401, refreshes the session once and retries. */
export async function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(input, init);
  const headers = new Headers(init.headers);
  const url = String(input instanceof Request ? input.url : input);
  if (res.status !== 401 || !headers.has('authorization') || NO_RETRY.some((p) => url.includes(p))) return res;
  const code = await problemCode(res);
  if (code !== 'TOKEN_EXPIRED' && code !== 'UNAUTHENTICATED') return res;
  const fresh = await refreshSession();
  if (!fresh) {
    sessionLost(code);
    return res;
  }
  headers.set('authorization', `Bearer ${fresh.accessToken}`);
  return fetch(input, { ...init, headers });
}

/** The client every hook uses. Same origin: the dashboard is served by the control plane it talks to. */
export const api = new NovaCronClient({
  baseUrl: '',
  token: getAccessToken,
  credentials: 'include',
  fetch: authFetch,
});
