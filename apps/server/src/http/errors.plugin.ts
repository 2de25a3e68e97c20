import { ApiError, errorCodes, titleOf, type ErrorCode, type Problem } from '@novacron/api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// Fastify's own 4xx errors, mapped to stable codes.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_NOT_FOUND: 'ROUTE_NOT_FOUND',
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
  const finalStatus = code === 'INTERNAL' ? 500 : status;
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
