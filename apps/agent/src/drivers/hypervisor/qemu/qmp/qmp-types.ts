/** An asynchronous QMP event, e.g. `STOP`, `SHUTDOWN {guest, reason}`, `DEVICE_DELETED {device?, path}`. */
export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

/** QEMU's greeting, sent once when a client connects. */
export interface QmpGreeting {
  QMP: {
    version: { qemu: { major: number; minor: number; micro: number }; package: string };
    capabilities: string[];
  };
}

/** Arguments of a QMP command (JSON object). */
export type QmpArguments = Record<string, unknown>;

/** Per-call options of `execute`. */
export interface QmpExecuteOptions {
  /** Reject with QmpTimeoutError after this long (the command may still run in QEMU). */
  timeoutMs?: number;
}

/** Filter for `waitForEvent`: return true for the event you are waiting for. */
export type QmpEventPredicate = (event: QmpEvent) => boolean;

/** Anything that can run QMP commands: the real client or a test double. */
export interface QmpExecutor {
  /** Runs `command` and resolves with its `return` value. */
  execute<T = unknown>(command: string, args?: QmpArguments, options?: QmpExecuteOptions): Promise<T>;
}

/** One message read from the QMP socket. */
export type QmpMessage =
  | { return: unknown; id?: unknown }
  | { error: { class: string; desc: string }; id?: unknown }
  | QmpEvent
  | QmpGreeting;
