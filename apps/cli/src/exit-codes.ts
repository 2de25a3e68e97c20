import { ApiRequestError } from '@novacron/client';

/** Exit codes scripts can rely on (documented in docs/cli.md). */
export const ExitCode = {
  OK: 0,
  /** The API answered with an error, or the server could not be reached. */
  API_ERROR: 1,
  /** Bad command line: unknown command or flag, missing or extra argument. */
  USAGE: 2,
  /** Not logged in, or authentication failed (401, disabled or locked account). */
  AUTH: 3,
  /** The resource does not exist (or is not visible to you). */
  NOT_FOUND: 4,
} as const;

/** A bad command line: printed with a usage hint, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** No usable credentials, or a session that cannot be refreshed: exit 3. */
export class NotLoggedInError extends Error {
  override name = 'NotLoggedInError';
}

/** A failure the CLI detects itself (not an API answer), with a stable code and exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = ExitCode.API_ERROR,
  ) {
    super(message);
  }
}

// Authentication failures that are not 401s: the credentials are right but cannot be used.
const authCodes = new Set(['ACCOUNT_DISABLED', 'ACCOUNT_LOCKED', 'EMAIL_NOT_VERIFIED']);

/** Maps an API error to the exit code: 401 → 3, 404 → 4 (a missing resource), anything else → 1. */
export function exitCodeOf(err: ApiRequestError): number {
  if (err.status === 401 || authCodes.has(err.code)) return ExitCode.AUTH;
  // ROUTE_NOT_FOUND means this CLI and the server disagree on the API, not that a resource is missing.
  if (err.status === 404 && err.code !== 'ROUTE_NOT_FOUND') return ExitCode.NOT_FOUND;
  return ExitCode.API_ERROR;
}
