import { z } from 'zod';

/** JSON Schema (2020-12) of a zod schema, as the request sees it (`input`) or the response carries it (`output`). */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
