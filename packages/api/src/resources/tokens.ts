import { z } from 'zod';
import { Id, IdParams, Page, PageQuery, Timestamp } from '../common';
import { defineRoute } from '../route';

/** An API token for automation (the secret is never shown again after creation). */
export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  /** Name of the role the token carries. */
  role: z.string(),
  /** The tenant the role applies to; null = every tenant the owner can reach. */
  tenantId: Id.nullable(),
  /** First characters of the secret, to recognise it. */
  prefix: z.string(),
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
/** An API token. */
export type ApiToken = z.infer<typeof ApiToken>;

/** What creating a token answers: the token and its secret, shown once (`Authorization: Bearer nct_...`). */
export const CreatedApiToken = z.object({ token: ApiToken, secret: z.string() });

/** Creates a token; the role's permissions must be held by the caller on that scope (else PRIVILEGE_ESCALATION). */
export const CreateApiToken = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Role name or id. */
  role: z.string().min(1).max(64),
  tenantId: Id.optional(),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

/** API token routes: a user manages their own tokens. */
export const tokenRoutes = {
  'tokens.list': defineRoute({
    method: 'GET', path: '/api/v1/tokens', access: 'authenticated', tag: 'tokens',
    summary: 'The caller\'s API tokens that are not revoked, newest first', query: PageQuery, response: Page(ApiToken),
  }),
  'tokens.create': defineRoute({
    method: 'POST', path: '/api/v1/tokens', access: 'token:write', tag: 'tokens', status: 201,
    summary: 'Creates an API token with a role on one tenant or globally; the secret is answered once',
    body: CreateApiToken, response: CreatedApiToken,
  }),
  'tokens.revoke': defineRoute({
    method: 'DELETE', path: '/api/v1/tokens/{id}', access: 'authenticated', tag: 'tokens', status: 204,
    summary: 'Revokes one of the caller\'s tokens', params: IdParams, response: z.void(),
  }),
};
