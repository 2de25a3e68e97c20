import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes';
import type { Command, FlagSpec, FlagValues } from './registry';

/** How results are printed. */
export type OutputFormat = 'table' | 'json';

/** The server used when neither `--server`, NOVACRON_URL nor stored credentials name one. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8090';

/** Flags every command accepts, wherever they appear on the line. */
export const globalFlags: Record<string, FlagSpec & { env?: string }> = {
  server: { type: 'string', value: 'URL', env: 'NOVACRON_URL', description: `NovaCron server (default: the one you logged in to, else ${DEFAULT_SERVER})` },
  output: { type: 'string', short: 'o', value: 'FORMAT', description: 'table (default) or json: the raw API JSON' },
  token: { type: 'string', value: 'TOKEN', env: 'NOVACRON_TOKEN', description: 'Bearer token (API token or access token) instead of stored credentials' },
  help: { type: 'boolean', short: 'h', description: 'Help for the command' },
  version: { type: 'boolean', description: 'Version of the CLI' },
};

/** Global flags as typed on the command line, before defaults. */
export interface RawGlobals {
  server?: string;
  output?: string;
  token?: string;
  help: boolean;
  version: boolean;
}

/** Global options after environment and defaults are applied. */
export interface GlobalOptions {
  server: string;
  output: OutputFormat;
  /** Token from `--token` or NOVACRON_TOKEN; stored credentials are used when absent. */
  token?: string;
  help: boolean;
  version: boolean;
}

/** Pulls the global flags out of argv (they may appear anywhere before `--`); the rest goes to the command. */
export function splitGlobals(argv: string[]): { globals: RawGlobals; rest: string[] } {
  const globals: RawGlobals = { help: false, version: false };
  const rest: string[] = [];
  const byName = new Map<string, string>();
  for (const [name, spec] of Object.entries(globalFlags)) {
    byName.set(`--${name}`, name);
    if (spec.short) byName.set(`-${spec.short}`, name);
  }
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    let flag = eq > 0 ? token.slice(0, eq) : token;
    let inline: string | undefined = eq > 0 ? token.slice(eq + 1) : undefined;
    // `-ojson` is `-o json`, as parseArgs reads short options.
    if (!byName.has(flag) && /^-[a-zA-Z]./.test(token) && byName.get(token.slice(0, 2)) && globalFlags[byName.get(token.slice(0, 2))!].type === 'string') {
      flag = token.slice(0, 2);
      inline = token.slice(2);
    }
    const name = byName.get(flag);
    if (!name) {
      rest.push(token);
      continue;
    }
    const spec = globalFlags[name];
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      (globals as unknown as Record<string, boolean>)[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('-') && value !== '-')) throw new UsageError(`--${name} needs a value (${spec.value})`);
      i++;
    }
    (globals as unknown as Record<string, string>)[name] = value;
  }
  return { globals, rest };
}

/** Applies environment and defaults to the global flags and checks them. `storedServer` comes from the credentials file. */
export function resolveGlobals(raw: RawGlobals, env: Record<string, string | undefined>, storedServer?: string): GlobalOptions {
  const server = raw.server ?? (env.NOVACRON_URL || undefined) ?? storedServer ?? DEFAULT_SERVER;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server: not a URL: ${server}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server: must be an http:// or https:// URL: ${server}`);
  const output = raw.output ?? 'table';
  if (output !== 'table' && output !== 'json') throw new UsageError(`--output: must be table or json, not ${output}`);
  return {
    server: server.replace(/\/+$/, ''),
    output,
    token: raw.token ?? (env.NOVACRON_TOKEN || undefined),
    help: raw.help,
    version: raw.version,
  };
}

/** Parses a command's own flags and positionals strictly; anything unexpected is a usage error. */
export function parseCommandArgs(command: Command, argv: string[]): { flags: FlagValues; args: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(command.flags ?? {})) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const args = parsed.positionals;
  const min = command.minArgs ?? 0;
  const max = command.maxArgs ?? min;
  if (args.length < min) throw new UsageError(`missing argument: ${command.args ?? ''}`.trim());
  if (args.length > max) throw new UsageError(`unexpected argument: ${args[max]}`);
  return { flags: { ...parsed.values } as FlagValues, args };
}

/** Reads an integer flag within bounds; a bad value is a usage error naming the flag. */
export function intFlag(flags: FlagValues, name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw.trim()) || (bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
    const range = bounds.min !== undefined && bounds.max !== undefined ? ` between ${bounds.min} and ${bounds.max}` : '';
    throw new UsageError(`--${name}: must be an integer${range}, not ${String(raw)}`);
  }
  return n;
}

/** Reads a string flag (undefined when absent). */
export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads a repeatable string flag (empty when absent). */
export function listFlag(flags: FlagValues, name: string): string[] {
  const v = flags[name];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' ? [v] : [];
}
