// The caller's own account: config of the sign-in screens, sessions, 2FA, password, profile.
import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** What the sign-in screens need (setup required, registration mode). */
export function useAuthConfig() {
  return useQuery({ queryKey: keys.authConfig, queryFn: () => api.call('auth.config'), staleTime: 30_000 });
}

/** The caller's sessions. */
export function useSessions() {
  return useQuery({ queryKey: keys.sessions, queryFn: () => api.call('auth.sessions', { query: { limit: 100 } }) });
}

/** Signs one session out. */
export const useRevokeSession = () => useApiMutation('auth.revokeSession', [keys.sessions]);
/** Signs every other session out. */
export const useRevokeAllSessions = () => useApiMutation('auth.revokeAllSessions', [keys.sessions]);
/** Changes the caller's password. */
export const useChangePassword = () => useApiMutation('auth.changePassword', [keys.sessions]);
/** Renames the caller. */
export const useUpdateMe = () => useApiMutation('auth.updateMe', [keys.me]);
/** Starts 2FA enrolment. */
export const useTotpEnroll = () => useApiMutation('auth.totpEnroll');
/** Activates 2FA. */
export const useTotpConfirm = () => useApiMutation('auth.totpConfirm', [keys.me]);
/** Turns 2FA off. */
export const useTotpDisable = () => useApiMutation('auth.totpDisable', [keys.me]);
/** Sends a new verification email. */
export const useResendVerification = () => useApiMutation('auth.resendVerification');
