import { ApiError } from '@novacron/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';

/** What a handler may add to the request's audit entry. */
export interface AuditNote {
  actorId?: string | null;
  actorLabel?: string;
  tenantId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  /** Set false for requests that must not be audited generically (they audit themselves). */
  skip?: boolean;
}

/** Everything a handler knows about its request besides the validated input. */
export class RequestContext {
  readonly audit: AuditNote = {};
  constructor(
    readonly principal: Principal | null,
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
  ) {}

  /** The signed-in principal; only public routes may see none. */
  get actor(): Principal {
    if (!this.principal) throw new ApiError('UNAUTHENTICATED', 'sign in first');
    return this.principal;
  }

  get requestId(): string {
    return this.request.id;
  }

  get ip(): string {
    return this.request.ip;
  }

  get userAgent(): string {
    return String(this.request.headers['user-agent'] ?? '').slice(0, 300);
  }
}
