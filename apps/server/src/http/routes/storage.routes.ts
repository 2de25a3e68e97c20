import type { storageRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Storage pool and volume routes. */
export function storageHandlers(s: Services): Handlers<typeof storageRoutes> {
  const { pools, volumes } = s.compute;
  return {
    'storagePools.list': ({ query }) => pools.list(query.limit, query.cursor),
    'storagePools.get': ({ params }) => pools.get(params.id),
    'storagePools.create': ({ body }, ctx) => pools.create(ctx.actor, body),
    'storagePools.delete': async ({ params }, ctx) => {
      await pools.delete(ctx.actor, params.id);
    },
    'volumes.list': ({ query }, ctx) => volumes.list(ctx.actor, query),
    'volumes.get': ({ params }, ctx) => volumes.get(ctx.actor, params.id),
    'volumes.create': ({ body }, ctx) => volumes.create(ctx.actor, body),
    'volumes.resize': ({ params, body }, ctx) => volumes.resize(ctx.actor, params.id, body.sizeGiB),
    'volumes.delete': ({ params }, ctx) => volumes.delete(ctx.actor, params.id),
  };
}
