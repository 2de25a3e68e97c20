import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import { buildOpenApi } from '@novacron/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAuthenticator } from './auth/authenticate';
import { registerErrorHandling } from './http/errors.plugin';
import { registerEventsSocket } from './http/events.ws';
import { registerMetrics } from './http/metrics.plugin';
import { registerRoutes } from './http/register-routes';
import { registerWebApp } from './http/static.plugin';
import { authHandlers } from './http/routes/auth.routes';
import { operationHandlers } from './http/routes/operation.routes';
import { settingsHandlers } from './http/routes/settings.routes';
import { systemHandlers } from './http/routes/system.routes';
import { tokenHandlers } from './http/routes/token.routes';
import { authRoutes, operationRoutes, settingsRoutes, systemRoutes, tokenRoutes } from '@novacron/api';
import { Mailer } from './mail/mailer';
import type { Services } from './services';
import { VERSION } from './version';

/** Builds the HTTP application over the services; `listen` is the caller's. */
export async function buildApp(s: Services, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: false } },
  });
  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  const authenticate = createAuthenticator(s);
  const deps = { authenticate, audit: s.audit };
  const mailer = new Mailer(s.settings);
  registerMetrics(app, s.settings, authenticate);
  registerEventsSocket(app, s.events, authenticate);
  registerRoutes(app, deps, systemRoutes, systemHandlers);
  registerRoutes(app, deps, operationRoutes, operationHandlers(s));
  registerRoutes(app, deps, authRoutes, authHandlers(s));
  registerRoutes(app, deps, tokenRoutes, tokenHandlers(s));
  registerRoutes(app, deps, settingsRoutes, settingsHandlers(s, (to) => s.mailer.send({ to, subject: 'NovaCron test email', text: 'SMTP works.' })));

  const openapi = buildOpenApi(VERSION);
  app.get('/api/openapi.json', async () => openapi);
  await registerWebApp(app);
  return app;
}
