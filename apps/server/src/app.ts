import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import { buildOpenApi } from '@novacron/api';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAuthenticator } from './auth/authenticate';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './http/errors.plugin';
import { registerEventsSocket } from './http/events.ws';
import { registerMetrics } from './http/metrics.plugin';
import { registerRoutes } from './http/register-routes';
import { logsEveryRequest, RequestLogController } from './http/request-log.controller';
import { registerComputeSockets } from './compute/register-compute-sockets';
import { imageHandlers } from './http/routes/image.routes';
import { networkHandlers } from './http/routes/network.routes';
import { nodeHandlers } from './http/routes/node.routes';
import { storageHandlers } from './http/routes/storage.routes';
import { vmHandlers } from './http/routes/vm.routes';
import { imageRoutes, networkRoutes, nodeRoutes, storageRoutes, vmRoutes } from '@novacron/api';
import { registerWebApp } from './http/static.plugin';
import { auditHandlers } from './http/routes/audit.routes';
import { authHandlers } from './http/routes/auth.routes';
import { operationHandlers } from './http/routes/operation.routes';
import { roleHandlers } from './http/routes/role.routes';
import { settingsHandlers } from './http/routes/settings.routes';
import { systemHandlers } from './http/routes/system.routes';
import { tenantHandlers } from './http/routes/tenant.routes';
import { tokenHandlers } from './http/routes/token.routes';
import { userHandlers } from './http/routes/user.routes';
import { groupHandlers } from './http/routes/group.routes';
import { auditRoutes, groupRoutes, roleRoutes, tenantRoutes, userRoutes } from '@novacron/api';
import { authRoutes, operationRoutes, settingsRoutes, systemRoutes, tokenRoutes } from '@novacron/api';
import type { Services } from './services';
import { VERSION } from './version';

/** Builds the HTTP application over the services; `listen` is the caller's. */
export async function buildApp(s: Services, opts: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    genReqId: () => crypto.randomUUID(),
    // At info and above only failed and slow requests are logged: a line per request costs CPU on every request.
    logController: new RequestLogController({ everyRequest: logsEveryRequest(s.config.logLevel), slowMs: s.config.slowRequestMs }),
    ajv: { customOptions: { coerceTypes: false } },
    clientErrorHandler,
    frameworkErrors,
  });
  registerErrorHandling(app);
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  const authenticate = createAuthenticator(s);
  const deps = { authenticate, audit: s.audit, events: s.events };
  registerMetrics(app, s.settings, authenticate);
  registerEventsSocket(app, s.events, authenticate);
  registerRoutes(app, deps, systemRoutes, systemHandlers);
  registerRoutes(app, deps, operationRoutes, operationHandlers(s));
  registerRoutes(app, deps, authRoutes, authHandlers(s));
  registerRoutes(app, deps, tokenRoutes, tokenHandlers(s));
  registerRoutes(app, deps, settingsRoutes, settingsHandlers(s, (to) => s.mailer.send({ to, subject: 'NovaCron test email', text: 'SMTP works.' })));
  registerRoutes(app, deps, userRoutes, userHandlers(s));
  registerRoutes(app, deps, groupRoutes, groupHandlers(s));
  registerRoutes(app, deps, roleRoutes, roleHandlers(s));
  registerRoutes(app, deps, tenantRoutes, tenantHandlers(s));
  registerRoutes(app, deps, auditRoutes, auditHandlers(s));
  registerRoutes(app, deps, nodeRoutes, nodeHandlers(s));
  registerRoutes(app, deps, vmRoutes, vmHandlers(s));
  registerRoutes(app, deps, imageRoutes, imageHandlers(s));
  registerRoutes(app, deps, storageRoutes, storageHandlers(s));
  registerRoutes(app, deps, networkRoutes, networkHandlers(s));
  await registerComputeSockets(app, s);
  s.cleanup.start(app.log);
  app.addHook('onClose', () => s.cleanup.stop());

  const openapi = buildOpenApi(VERSION);
  app.get('/api/openapi.json', async () => openapi);
  await registerWebApp(app);
  return app;
}
