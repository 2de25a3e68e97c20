// The caller's API tokens.
import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** The caller's tokens. */
export function useTokens() {
  return useQuery({ queryKey: keys.tokens.list(), queryFn: () => api.call('tokens.list', { query: { limit: 1000 } }) });
}

/** Creates a token (the secret is in the answer, once). */
export const useCreateToken = () => useApiMutation('tokens.create', [keys.tokens.all]);
/** Revokes a token. */
export const useRevokeToken = () => useApiMutation('tokens.revoke', [keys.tokens.all]);
