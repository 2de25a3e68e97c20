import { operationRoutes } from '@novacron/api';
import { scopeOf } from '../../auth/principal';
import { decodeCursor, toPage } from '../../lib/pagination';
import { toOperation } from '../../operations/operation.repository';
import { OperationRepository } from '../../operations/operation.repository';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Operation routes: list, get, wait, cancel; all tenant-scoped. */
export function operationHandlers(s: Services): Handlers<typeof operationRoutes> {
  const repo = new OperationRepository(s.store);
  return {
    'operations.list': async ({ query }, ctx) => {
      const rows = await repo.list(scopeOf(ctx.actor, 'operation:read'), {
        limit: query.limit, before: decodeCursor(query.cursor), status: query.status, resource: query.resource,
      });
      return toPage(rows, query.limit, toOperation);
    },
    'operations.get': ({ params }, ctx) => s.operations.get(params.id, scopeOf(ctx.actor, 'operation:read')),
    'operations.wait': ({ params, query }, ctx) => s.operations.wait(params.id, scopeOf(ctx.actor, 'operation:read'), query.timeout * 1000),
    'operations.cancel': ({ params }, ctx) => s.operations.cancel(params.id, scopeOf(ctx.actor, 'operation:cancel')),
  };
}
