import { ApiError } from '@novacron/api';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { can } from '../auth/principal';
import type { SettingsService } from '../settings/settings.service';
import type { Authenticate } from './register-routes';

/** Request counts and latency by route and status, plus process metrics, served at `/metrics` in Prometheus text format. */
export function registerMetrics(app: FastifyInstance, settings: SettingsService, authenticate: Authenticate): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'novacron_' });
  const requests = new Counter({
    name: 'novacron_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'novacron_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs share one label so scanners cannot blow up cardinality.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', async (request, reply) => {
    if (!(await settings.get()).metricsPublic) {
      const principal = await authenticate(request);
      if (!principal) throw new ApiError('UNAUTHENTICATED', 'send a bearer token with metrics:read');
      if (!can(principal, 'metrics:read', null)) throw new ApiError('FORBIDDEN', 'missing permission metrics:read');
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
