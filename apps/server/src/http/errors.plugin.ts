import { ApiError, errorCodes, titleOf, type ErrorCode, type Problem } from '@novacron/api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

// Fastify's own 4xx errors, mapped to stable codes.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_NOT_FOUND: 'ROUTE_NOT_FOUND',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

/** Turns any thrown error into an RFC 9457 problem. Unknown errors become INTERNAL and are logged, never leaked. */
export function toProblem(err: unknown, requestId: string): Problem {
  if (err instanceof ApiError) {
    return {
      type: `https://novacron.dev/errors/${err.code}`,
      title: titleOf(err.code),
      status: err.status,
      detail: err.message,
      code: err.code,
      ...(err.errors ? { errors: err.errors } : {}),
      requestId,
    };
  }
  const fe = err as FastifyError;
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  let code: ErrorCode = fastifyCodes[fe?.code ?? ''] ?? (status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST');
  if (status >= 500 || status < 400) code = 'INTERNAL';
  if ((fe as { name?: string })?.name === 'SyntaxError' || fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') code = 'BAD_REQUEST';
  // The code decides the status, so clients can rely on the pair (a Fastify 406 or 431 becomes a 400 BAD_REQUEST).
  const finalStatus = errorCodes[code];
  return {
    type: `https://novacron.dev/errors/${code}`,
    title: titleOf(code),
    status: finalStatus,
    detail: code === 'INTERNAL' ? 'internal error; see the server log with this request id' : fe.message,
    code,
    requestId,
  };
}

/** Sends a problem+json answer. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** The one place errors become HTTP answers. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request: FastifyRequest, reply) => {
    const problem = toProblem(err, request.id);
    if (problem.status >= 500) request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new ApiError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`), request.id)),
  );
}

/** Status of a code (for tests and docs). */
export const statusOf = (code: ErrorCode) => errorCodes[code];

/** Fastify's `frameworkErrors`: router-level rejections (malformed URL encoding, over-long path parameters) as problem+json. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, toProblem(err, request.id));
}

/**
 * Answers requests Node's HTTP parser rejects before Fastify sees them (bad request line or headers, oversized headers,
 * timeouts) with problem+json too; Fastify's default answers a bare JSON object. Passed as Fastify's `clientErrorHandler`.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'BAD_REQUEST';
  const status = errorCodes[code];
  const body = JSON.stringify({ type: `https://novacron.dev/errors/${code}`, title: titleOf(code), status, detail: 'the HTTP request could not be parsed', code });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
