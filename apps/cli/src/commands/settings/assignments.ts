import { SettingsPatch } from '@novacron/api';
import { UsageError } from '../../exit-codes';

/** `{a: {b: value}}` for the key `a.b`. */
export function nest(key: string, value: unknown): Record<string, unknown> {
  return key.split('.').reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
}

function merge(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(from)) {
    const cur = into[k];
    if (cur && typeof cur === 'object' && v && typeof v === 'object' && !Array.isArray(v)) merge(cur as Record<string, unknown>, v as Record<string, unknown>);
    else into[k] = v;
  }
}

/**
 * The value a `key=value` means: the settings schema decides whether `587` is a number or a string and `true` a
 * boolean; a value the schema takes neither way is sent as typed and the server names the field that is wrong.
 */
export function coerceSetting(key: string, raw: string): unknown {
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(raw));
  } catch {
    // not JSON: only the string reading remains
  }
  candidates.push(raw);
  return candidates.find((c) => SettingsPatch.safeParse(nest(key, c)).success) ?? candidates[0];
}

/** Parses `key=value` arguments into one settings patch; `key=-` takes the value from `readValue` (stdin). */
export async function patchFromAssignments(args: string[], readValue: (key: string) => Promise<string>): Promise<Record<string, unknown>> {
  const patch: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`expected key=value, not ${arg}`);
    const key = arg.slice(0, eq);
    if (!/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/.test(key)) throw new UsageError(`not a setting key: ${key}`);
    let raw = arg.slice(eq + 1);
    if (raw === '-') raw = await readValue(key);
    merge(patch, nest(key, coerceSetting(key, raw)));
  }
  return patch;
}
