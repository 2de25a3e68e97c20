// Turns any failure into words for people: the problem+json `detail`, never a stack or "Error: 500".
import { ApiRequestError } from '@novacron/client';

/** The message to show for a failed call. */
export function problemMessage(err: unknown): string {
  if (err instanceof ApiRequestError) return err.problem.detail || err.problem.title;
  if (err instanceof TypeError) return 'Cannot reach the NovaCron server. Check your connection and try again.';
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** The problem code of a failed call, if it came from the API. */
export function problemCode(err: unknown): string | undefined {
  return err instanceof ApiRequestError ? err.code : undefined;
}

/** Field errors of a VALIDATION_FAILED problem, keyed by dotted path. */
export function problemFields(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiRequestError) for (const e of err.problem.errors ?? []) if (e.path) out[e.path] = e.message;
  return out;
}
