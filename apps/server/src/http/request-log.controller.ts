import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

// Levels at which every request gets Fastify's "incoming request" and "request completed" lines.
const EVERY_REQUEST_LEVELS = new Set(['debug', 'trace']);

/** Whether `NOVACRON_LOG_LEVEL` asks for a log line per request (debug, trace) rather than only failed and slow ones. */
export function logsEveryRequest(logLevel: string): boolean {
  return EVERY_REQUEST_LEVELS.has(logLevel);
}

/**
 * Fastify's request log lines, made quiet by default: two info lines per request cost about a tenth of a cheap request's
 * CPU, so at `info` and above only failures (5xx or a broken response, at `error`) and slow requests (at `warn`) are logged,
 * each with its request id (`reqId`), which problem+json answers also carry. At `debug`/`trace` every request is logged.
 * Client errors (4xx) are not logged: denials, failed logins and token use are in the audit log.
 */
export class RequestLogController extends LogController {
  constructor(private readonly mode: { everyRequest: boolean; slowMs: number }) {
    super();
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (this.mode.everyRequest) super.incomingRequest(request, reply);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.mode.everyRequest) return super.requestCompleted(error, request, reply);
    const responseTime = reply.elapsedTime;
    if (error || reply.statusCode >= 500) {
      reply.log.error({ req: request, res: reply, err: error ?? undefined, responseTime }, 'request failed');
    } else if (this.mode.slowMs > 0 && responseTime >= this.mode.slowMs) {
      reply.log.warn({ req: request, res: reply, responseTime }, 'slow request');
    }
  }

  override routeNotFound(request: FastifyRequest, reply: FastifyReply): void {
    if (this.mode.everyRequest) super.routeNotFound(request, reply);
  }
}
