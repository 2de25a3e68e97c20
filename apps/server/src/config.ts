import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const Port = z.coerce.number().int().min(0).max(65535);

/** Every setting NovaCron reads at start, with its environment variable and default. */
export const configSchema = z.strictObject({
  NOVACRON_HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server listens on'),
  NOVACRON_PORT: Port.default(8090).describe('Port the HTTP server listens on'),
  NOVACRON_DATA_DIR: z.string().min(1).default('./data').describe('Directory for the SQLite database, signing keys and VM state'),
  NOVACRON_DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .optional()
    .describe('sqlite:PATH or postgres://user@host:port/db; default sqlite in the data directory'),
  NOVACRON_PUBLIC_URL: z.url().optional().describe('URL users reach NovaCron at (links in emails); default http://HOST:PORT'),
  NOVACRON_ADMIN_EMAIL: z.email().optional().describe('Creates this admin on first start (with NOVACRON_ADMIN_PASSWORD)'),
  NOVACRON_ADMIN_PASSWORD: z.string().min(1).optional().describe('Password of the first admin'),
  NOVACRON_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level; debug and trace also log every HTTP request'),
  NOVACRON_SLOW_REQUEST_MS: z.coerce.number().int().min(0).default(1000).describe('Log requests slower than this many ms (warn); 0 never'),
  NOVACRON_IMPORT_DIRS: z.string().default('').describe('Colon-separated directories images may be imported from by path'),
  NOVACRON_EMBEDDED_AGENT: z.enum(['true', 'false']).default('true').describe('Run a node agent for this host inside the server process tree'),
  NOVACRON_CLEANUP_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(3600)
    .describe('Seconds between deletions of expired sessions and tokens (first one a minute after start); 0 never'),
  NOVACRON_CONFIG: z.string().optional().describe('Path of an optional JSON config file with the same keys'),
});

/** Validated configuration. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string;
  adminEmail?: string;
  adminPassword?: string;
  logLevel: string;
  /** Requests slower than this are logged at warn (0: never). */
  slowRequestMs: number;
  importDirs: string[];
  embeddedAgent: boolean;
  /** Seconds between cleanups of expired sessions and tokens (0: never). */
  cleanupIntervalSeconds: number;
}

/** Thrown when configuration is invalid; the message names each bad variable. */
export class ConfigError extends Error {}

/** Reads configuration from the environment and an optional JSON file; env wins. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(configSchema.shape);
  let fileValues: Record<string, unknown> = {};
  if (env.NOVACRON_CONFIG) {
    try {
      fileValues = JSON.parse(readFileSync(env.NOVACRON_CONFIG, 'utf8'));
    } catch (err) {
      throw new ConfigError(`NOVACRON_CONFIG: cannot read ${env.NOVACRON_CONFIG}: ${(err as Error).message}`);
    }
    if (typeof fileValues !== 'object' || fileValues === null || Array.isArray(fileValues)) {
      throw new ConfigError(`NOVACRON_CONFIG: ${env.NOVACRON_CONFIG} must hold a JSON object of NOVACRON_* keys`);
    }
    const unknown = Object.keys(fileValues).filter((k) => !known.includes(k));
    if (unknown.length) throw new ConfigError(`NOVACRON_CONFIG: unknown keys ${unknown.join(', ')}`);
  }
  // The schema reads environment strings; a file may say `8090` or `false` as JSON numbers and booleans, which mean the same.
  // Objects, arrays and null stay as they are and fail validation under their key's name.
  const input: Record<string, unknown> = Object.fromEntries(
    Object.entries(fileValues).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v]),
  );
  for (const key of known) if (env[key] !== undefined && env[key] !== '') input[key] = env[key];
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  if (Boolean(c.NOVACRON_ADMIN_EMAIL) !== Boolean(c.NOVACRON_ADMIN_PASSWORD)) {
    throw new ConfigError('invalid configuration:\n  NOVACRON_ADMIN_PASSWORD: set both NOVACRON_ADMIN_EMAIL and NOVACRON_ADMIN_PASSWORD, or neither');
  }
  const dataDir = resolve(c.NOVACRON_DATA_DIR);
  return {
    host: c.NOVACRON_HOST,
    port: c.NOVACRON_PORT,
    dataDir,
    databaseUrl: c.NOVACRON_DATABASE_URL ?? `sqlite:${resolve(dataDir, 'novacron.db')}`,
    publicUrl: (c.NOVACRON_PUBLIC_URL ?? `http://${c.NOVACRON_HOST}:${c.NOVACRON_PORT}`).replace(/\/$/, ''),
    adminEmail: c.NOVACRON_ADMIN_EMAIL,
    adminPassword: c.NOVACRON_ADMIN_PASSWORD,
    logLevel: c.NOVACRON_LOG_LEVEL,
    slowRequestMs: c.NOVACRON_SLOW_REQUEST_MS,
    importDirs: c.NOVACRON_IMPORT_DIRS.split(':').filter(Boolean).map((d) => resolve(d)),
    embeddedAgent: c.NOVACRON_EMBEDDED_AGENT === 'true',
    cleanupIntervalSeconds: c.NOVACRON_CLEANUP_INTERVAL_SECONDS,
  };
}

/** Text for `novacron --help`: every variable with its description and default. */
export function configHelp(): string {
  return Object.entries(configSchema.shape)
    .map(([key, schema]) => `  ${key.padEnd(26)} ${(schema as z.ZodType).description ?? ''}`)
    .join('\n');
}
