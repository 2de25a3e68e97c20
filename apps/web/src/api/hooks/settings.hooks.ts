// System settings.
import { useQuery } from '@tanstack/react-query';
import { api } from '../client';
import { keys } from '../query-keys';
import { useApiMutation } from './mutation';

/** The system settings (secrets omitted). */
export function useSettings(enabled = true) {
  return useQuery({ queryKey: keys.settings, queryFn: () => api.call('settings.get'), enabled });
}

/** Changes settings. */
export const useUpdateSettings = () => useApiMutation('settings.update', [keys.settings, keys.authConfig]);
/** Sends a test email with the saved SMTP settings. */
export const useTestEmail = () => useApiMutation('settings.testEmail');
