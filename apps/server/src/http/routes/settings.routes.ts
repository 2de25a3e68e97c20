import { settingsRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Settings routes. `settings.testEmail` is wired by the mail module. */
export function settingsHandlers(s: Services, sendTestEmail: (to: string) => Promise<void>): Handlers<typeof settingsRoutes> {
  return {
    'settings.get': () => s.settings.get(),
    'settings.update': async ({ body }, ctx) => {
      ctx.audit.details = { changed: Object.keys(body) };
      return s.settings.update(body);
    },
    'settings.testEmail': async ({ body }) => {
      await sendTestEmail(body.to);
      return {};
    },
  };
}
