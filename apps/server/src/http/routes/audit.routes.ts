import { auditRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Reading and verifying the audit log; there are no routes that change it. */
export function auditHandlers(s: Services): Handlers<typeof auditRoutes> {
  return {
    'audit.list': ({ query }, ctx) => s.admin.audit.list(ctx.actor, query),
    'audit.export': ({ query }, ctx) => {
      const body = s.admin.audit.exportCsv(ctx.actor, query);
      const stamp = s.clock.now().toISOString().replace(/[:.]/g, '-');
      ctx.reply.header('content-disposition', `attachment; filename="novacron-audit-${stamp}.csv"`);
      // An export is a snapshot of a moment: never served from a cache.
      ctx.reply.header('cache-control', 'no-store');
      return body;
    },
    'audit.verify': (_input, ctx) => s.admin.audit.verify(ctx.actor),
  };
}
