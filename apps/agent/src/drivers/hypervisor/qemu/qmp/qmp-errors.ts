/** Stable codes for every failure the QMP client reports. */
export type QmpFailureCode =
  | 'QMP_COMMAND_FAILED'
  | 'QMP_TIMEOUT'
  | 'QMP_CLOSED'
  | 'QMP_CONNECT_FAILED'
  | 'QMP_PROTOCOL';

/** Base class of all QMP client failures; branch on `code` or `instanceof`. */
export abstract class QmpFailure extends Error {
  abstract readonly code: QmpFailureCode;
}

/** QEMU answered a command with `{"error": {"class", "desc"}}`. */
export class QmpError extends QmpFailure {
  override readonly code = 'QMP_COMMAND_FAILED' as const;

  constructor(
    /** The command that failed. */
    readonly command: string,
    /** QMP error class, e.g. `GenericError`, `DeviceNotFound`, `CommandNotFound`. */
    readonly errorClass: string,
    /** QEMU's human readable description. */
    readonly desc: string,
  ) {
    super(`QMP ${command} failed: ${errorClass}: ${desc}`);
    this.name = 'QmpError';
  }
}

/** A connect, greeting, command or event wait did not finish in time. */
export class QmpTimeoutError extends QmpFailure {
  override readonly code = 'QMP_TIMEOUT' as const;

  constructor(
    /** What timed out, e.g. `connect`, `greeting`, `command query-status`, `event SHUTDOWN`. */
    readonly operation: string,
    /** The timeout that elapsed. */
    readonly timeoutMs: number,
  ) {
    super(`QMP ${operation} timed out after ${timeoutMs} ms`);
    this.name = 'QmpTimeoutError';
  }
}

/** The connection closed (by us, by QEMU, or on a socket error) before the operation finished. */
export class QmpClosedError extends QmpFailure {
  override readonly code = 'QMP_CLOSED' as const;

  constructor(message = 'QMP connection closed', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QmpClosedError';
  }
}

/** The QMP socket could not be connected (missing socket, refused, permission). */
export class QmpConnectError extends QmpFailure {
  override readonly code = 'QMP_CONNECT_FAILED' as const;

  constructor(
    /** The socket path we tried. */
    readonly socketPath: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot connect to QMP socket ${socketPath}: ${String((options?.cause as Error | undefined)?.message ?? 'unknown error')}`, options);
    this.name = 'QmpConnectError';
  }
}

/** The peer sent something that is not QMP (bad JSON, no greeting). */
export class QmpProtocolError extends QmpFailure {
  override readonly code = 'QMP_PROTOCOL' as const;

  constructor(message: string) {
    super(message);
    this.name = 'QmpProtocolError';
  }
}
