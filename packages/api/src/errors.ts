/** Every error code the API can answer with, and its HTTP status. Codes are stable: add, never rename. */
export const errorCodes = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  INVALID_CURSOR: 400,
  WEAK_PASSWORD: 400,
  INVALID_TOKEN: 400,
  PATH_NOT_ALLOWED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 401,
  TOTP_REQUIRED: 401,
  INVALID_TOTP: 401,
  REFRESH_TOKEN_REUSED: 401,
  FORBIDDEN: 403,
  REGISTRATION_CLOSED: 403,
  ACCOUNT_DISABLED: 403,
  EMAIL_NOT_VERIFIED: 403,
  PRIVILEGE_ESCALATION: 403,
  TOTP_ENROLLMENT_REQUIRED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  ALREADY_SET_UP: 409,
  INVALID_STATE: 409,
  IN_USE: 409,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUOTA_EXCEEDED: 422,
  CAPACITY_EXCEEDED: 422,
  NO_NODE_AVAILABLE: 422,
  UNSUPPORTED: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  ACCOUNT_LOCKED: 429,
  OPERATION_CANCELLED: 409,
  OPERATION_INTERRUPTED: 500,
  NODE_UNREACHABLE: 502,
  HYPERVISOR_ERROR: 502,
  NODE_TIMEOUT: 504,
  SMTP_FAILED: 502,
  INTERNAL: 500,
} as const;

/** A stable, UPPER_SNAKE error code. */
export type ErrorCode = keyof typeof errorCodes;

/** One failing field of a validation error. */
export interface FieldError {
  /** Where the value was: body, query, params or headers. */
  in: string;
  /** Dotted path of the field, e.g. `disks.0.sizeGiB`. */
  path: string;
  message: string;
}

/** The RFC 9457 problem+json body every error is answered with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  requestId?: string;
}

/** The one error type of NovaCron: thrown anywhere, mapped to problem+json by one plugin. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = errorCodes[code];
  }
}

/** Short human titles for problem+json, derived from the code. */
export function titleOf(code: ErrorCode): string {
  const words = code.toLowerCase().split('_');
  return words.map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}
