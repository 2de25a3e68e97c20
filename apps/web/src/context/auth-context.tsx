// Who is signed in and what they may do. The access token stays in memory (api/session.ts); on load the session is
// restored from the httpOnly refresh cookie, so a reload or a new tab signs in silently.
import type { LoginResult, Me, Permission } from '@novacron/api';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { keys } from '../api/query-keys';
import { acceptLogin, bootstrapSession, clearSession, onSessionLost, onTokens } from '../api/session';

/** Where the session stands. */
export type AuthStatus = 'loading' | 'anonymous' | 'authenticated';

/** What components get from useAuth(). */
export interface AuthValue {
  status: AuthStatus;
  me: Me | null;
  /** Why the last session ended without a sign-out (shown on the login page). */
  lostReason: string | null;
  /** Takes a login, setup or refresh answer. */
  signIn(result: LoginResult): void;
  signOut(): Promise<void>;
  /** Whether the user holds `permission` globally, on `tenantId`, or (without a tenant) on any tenant. */
  can(permission: Permission, tenantId?: string | null): boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

/** Mirrors the server's `can()` over the permissions of /auth/me. */
export function hasPermission(me: Me | null, permission: Permission, tenantId?: string | null): boolean {
  if (!me) return false;
  if (me.permissions.global.includes(permission)) return true;
  if (tenantId === null) return false;
  if (tenantId !== undefined) return me.permissions.tenants[tenantId]?.includes(permission) ?? false;
  return Object.values(me.permissions.tenants).some((perms) => perms.includes(permission));
}

/** Provides the session to the app. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [lostReason, setLostReason] = useState<string | null>(null);

  useEffect(() => {
    const offTokens = onTokens((result) => {
      qc.setQueryData(keys.me, result.user);
      setStatus('authenticated');
    });
    const offLost = onSessionLost((reason) => {
      setLostReason(reason === 'REFRESH_TOKEN_REUSED' ? 'Your session was revoked.' : 'Your session has ended. Please sign in again.');
      setStatus('anonymous');
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' || q.queryKey[1] === 'me' });
    });
    let cancelled = false;
    bootstrapSession().then((result) => {
      if (cancelled) return;
      if (!result) return setStatus((s) => (s === 'loading' ? 'anonymous' : s));
      // The restore may have finished before this effect subscribed to tokens.
      if (!qc.getQueryData(keys.me)) qc.setQueryData(keys.me, result.user);
      setStatus((s) => (s === 'loading' ? 'authenticated' : s));
    });
    return () => {
      cancelled = true;
      offTokens();
      offLost();
    };
  }, [qc]);

  // /auth/me stays current (role changes arrive as events that invalidate it).
  const meQuery = useQuery({ queryKey: keys.me, queryFn: () => api.call('auth.me'), enabled: status === 'authenticated', staleTime: 60_000 });
  const me = status === 'authenticated' ? (meQuery.data ?? null) : null;

  const signIn = useCallback((result: LoginResult) => {
    setLostReason(null);
    acceptLogin(result);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.call('auth.logout', { body: {} });
    } finally {
      clearSession();
      setStatus('anonymous');
      qc.clear();
    }
  }, [qc]);

  const can = useCallback((permission: Permission, tenantId?: string | null) => hasPermission(me, permission, tenantId), [me]);

  const value = useMemo<AuthValue>(() => ({ status, me, lostReason, signIn, signOut, can }), [status, me, lostReason, signIn, signOut, can]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The session. */
export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
