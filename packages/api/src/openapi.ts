import { z } from 'zod';
import { errorCodes } from './errors';
import { toJsonSchema } from './json-schema';
import type { RouteDef } from './route';
import { routes } from './routes';

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

const problem = { $ref: '#/components/schemas/Problem' };

/** The OpenAPI 3.1 document, generated from the route table. */
export function buildOpenApi(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, def] of Object.entries(routes) as [string, RouteDef][]) {
    const status = String(def.status ?? 200);
    const op: Record<string, unknown> = {
      operationId: id,
      summary: def.summary,
      tags: [def.tag],
      'x-permission': def.access,
      parameters: [...parameters(def.params, 'path'), ...parameters(def.query, 'query')],
      responses: {
        [status]:
          status === '204'
            ? { description: 'No content' }
            : { description: 'Success', content: { [def.produces ?? 'application/json']: { schema: toJsonSchema(def.response, 'output') } } },
        default: { description: 'Error', content: { 'application/problem+json': { schema: problem } } },
      },
    };
    if (def.access !== 'public') op.security = [{ bearer: [] }];
    if (def.body) op.requestBody = { required: true, content: { 'application/json': { schema: toJsonSchema(def.body, 'input') } } };
    paths[def.path] ??= {};
    paths[def.path][def.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'NovaCron API', version },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API token' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string', enum: Object.keys(errorCodes) },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { in: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
