import { systemRoutes } from '@novacron/api';
import type { Handlers } from '../register-routes';
import { VERSION } from '../../version';

/** Health and version. */
export const systemHandlers: Handlers<typeof systemRoutes> = {
  'system.health': () => ({ status: 'ok', version: VERSION }),
};
