import type { nodeRoutes } from '@novacron/api';
import { decodeCursor } from '../../lib/pagination';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Node routes: list, get, forget, join tokens. Nodes are global: node:read sees all of them. */
export function nodeHandlers(s: Services): Handlers<typeof nodeRoutes> {
  const { nodes } = s.compute;
  return {
    'nodes.list': ({ query }) => nodes.list({ limit: query.limit, after: decodeCursor(query.cursor), state: query.state }),
    'nodes.get': ({ params }) => nodes.get(params.id),
    'nodes.delete': async ({ params }) => {
      await nodes.delete(params.id);
    },
    'nodes.createJoinToken': ({ body }, ctx) => nodes.createJoinToken({ ttlSeconds: body.ttlSeconds, description: body.description, createdBy: ctx.actor.userId }),
  };
}
