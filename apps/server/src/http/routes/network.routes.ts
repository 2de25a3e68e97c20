import type { networkRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Network routes. */
export function networkHandlers(s: Services): Handlers<typeof networkRoutes> {
  const { networks } = s.compute;
  return {
    'networks.list': ({ query }, ctx) => networks.list(ctx.actor, query),
    'networks.get': ({ params }, ctx) => networks.get(ctx.actor, params.id),
    'networks.create': ({ body }, ctx) => networks.create(ctx.actor, body),
    'networks.delete': async ({ params }, ctx) => {
      await networks.delete(ctx.actor, params.id);
    },
  };
}
