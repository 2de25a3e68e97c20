import { ApiError } from '@novacron/api';
import type { FastifyRequest } from 'fastify';
import type { Authenticate } from '../http/register-routes';
import type { Services } from '../services';

/** Resolves bearer credentials (JWT access tokens and API tokens) to a principal. */
export function createAuthenticator(_s: Services): Authenticate {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) return null;
    throw new ApiError('UNAUTHENTICATED', 'invalid credentials');
  };
}
