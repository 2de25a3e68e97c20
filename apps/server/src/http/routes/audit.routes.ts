import { auditRoutes } from '@novacron/api';
import type { Services } from '../../services';
import type { Handlers } from '../register-routes';

/** Reading and verifying the audit log; there are no routes that change it. */
export function auditHandlers(s: Services): Handlers<typeof auditRoutes> {
  return {
    'audit.list': ({ query }, ctx) => s.admin.audit.list(ctx.actor, query),
    'audit.verify': (_input, ctx) => s.admin.audit.verify(ctx.actor),
  };
}
