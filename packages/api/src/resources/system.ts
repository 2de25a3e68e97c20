import { z } from 'zod';
import { defineRoute } from '../route';

/** Liveness and version. */
export const Health = z.object({ status: z.literal('ok'), version: z.string() });

/** System routes. */
export const systemRoutes = {
  'system.health': defineRoute({
    method: 'GET',
    path: '/api/v1/health',
    access: 'public',
    summary: 'Liveness and version; no authentication',
    tag: 'system',
    response: Health,
  }),
};
