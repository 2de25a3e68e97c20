import { tokenRoutes } from '@novacron/api';
import { toApiToken } from '../../auth/api-token.service';
import { decodeCursor, toPage } from '../../lib/pagination';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** API token routes: each user manages their own tokens. */
export function tokenHandlers(s: Services): Handlers<typeof tokenRoutes> {
  const { apiTokens } = s.identity;
  return {
    'tokens.list': async ({ query }, ctx) => toPage(await apiTokens.list(ctx.actor.userId, query.limit, decodeCursor(query.cursor)), query.limit, toApiToken),
    'tokens.create': async ({ body }, ctx) => {
      const created = await apiTokens.create(ctx.actor, body);
      // The secret stays out of the audit log; the id, role and scope are what matter.
      Object.assign(ctx.audit, { target: created.token.id, details: { name: body.name, role: created.token.role, tenantId: created.token.tenantId } });
      return created;
    },
    'tokens.revoke': ({ params }, ctx) => apiTokens.revoke(ctx.actor.userId, params.id),
  };
}
