import { toJsonSchema } from '@novacron/api';
import fc from 'fast-check';
import type { z } from 'zod';

/** A JSON Schema node as `toJsonSchema` writes it (the parts the sampler reads). */
interface Node {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Node[];
  oneOf?: Node[];
  allOf?: Node[];
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  prefixItems?: Node[];
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  additionalProperties?: Node | boolean;
}

const formats: Record<string, string> = {
  email: 'sample@example.com',
  uri: 'https://example.com/sample',
  url: 'https://example.com/sample',
  'date-time': '2026-01-02T03:04:05Z',
  date: '2026-01-02',
  uuid: '00000000-0000-4000-8000-000000000000',
  ipv4: '192.0.2.1',
};

function sampleString(node: Node, attempt: number): string {
  if (node.format && formats[node.format]) return formats[node.format];
  const min = node.minLength ?? 0;
  const max = node.maxLength ?? Math.max(min, 16);
  const fits = (s: string) => s.length >= min && s.length <= max && (!node.pattern || new RegExp(node.pattern, 'u').test(s));
  const plain = ['sample', 's1', 'a', '0', 'sample-1', 'x'.repeat(Math.max(min, 1))].filter(fits);
  if (plain.length && attempt === 0) return plain[0];
  if (node.pattern) {
    try {
      const found = fc.sample(fc.stringMatching(new RegExp(node.pattern)), { numRuns: 50, seed: 7 + attempt }).filter(fits);
      if (found.length) return found[0];
    } catch {
      // an unsupported regex feature: fall back to the plain candidates
    }
  }
  return plain[attempt % Math.max(plain.length, 1)] ?? 'x'.repeat(Math.max(min, 1));
}

function sampleNumber(node: Node, integer: boolean): number {
  let n = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : 1);
  if (node.maximum !== undefined && n > node.maximum) n = node.maximum;
  return integer ? Math.ceil(n) : n;
}

/** A small value satisfying a JSON Schema node: required properties only, minimum sizes, first enum member. */
export function sampleJson(node: Node, attempt = 0): unknown {
  if (node.const !== undefined) return node.const;
  if (node.enum) return node.enum[0];
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return sampleJson(alternatives.find((a) => a.type !== 'null') ?? alternatives[0], attempt);
  if (node.allOf?.length) return sampleJson(Object.assign({}, ...node.allOf), attempt);
  const type = Array.isArray(node.type) ? (node.type.find((t) => t !== 'null') ?? node.type[0]) : node.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of node.required ?? []) out[key] = sampleJson(node.properties?.[key] ?? {}, attempt);
      return out;
    }
    case 'array':
      if (node.prefixItems) return node.prefixItems.map((n) => sampleJson(n, attempt));
      return Array.from({ length: node.minItems ?? 0 }, () => sampleJson(node.items ?? {}, attempt));
    case 'string':
      return sampleString(node, attempt);
    case 'integer':
      return sampleNumber(node, true);
    case 'number':
      return sampleNumber(node, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return node.properties ? sampleJson({ ...node, type: 'object' }, attempt) : 'sample';
  }
}

/** A value the zod schema accepts, derived from its JSON Schema and checked with zod; undefined when none was found. */
export function sampleOf(schema: z.ZodType): unknown {
  const json = toJsonSchema(schema, 'input') as Node;
  for (let attempt = 0; attempt < 5; attempt++) {
    const value = sampleJson(json, attempt);
    if (schema.safeParse(value).success) return value;
  }
  return undefined;
}

/** Query or path values as strings, the way they travel in a URL. */
export function asStrings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}
