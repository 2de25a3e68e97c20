import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { QmpClosedError, QmpConnectError, QmpError, QmpProtocolError, QmpTimeoutError } from './qmp-errors.ts';
import { QmpEventHub, type QmpEventListener } from './qmp-event-hub.ts';
import type { QmpArguments, QmpEvent, QmpEventPredicate, QmpExecuteOptions, QmpExecutor, QmpGreeting } from './qmp-types.ts';

/** Options of `QmpClient.connect`. */
export interface QmpConnectOptions {
  /** Budget for connecting, the greeting and capability negotiation together (default 5000 ms). */
  connectTimeoutMs?: number;
  /** While the budget lasts, retry a missing or refusing socket (QEMU still starting) this often (default 50 ms). */
  retryIntervalMs?: number;
  /** Timeout of `execute` calls that do not pass their own (default 30000 ms). */
  defaultTimeoutMs?: number;
  /** Capabilities to enable in `qmp_capabilities`, e.g. `['oob']` (default none). */
  capabilities?: string[];
}

interface PendingCommand {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const MAX_LINE_BYTES = 16 * 1024 * 1024;
const RETRYABLE_CONNECT_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

/**
 * A QMP client over a unix socket: greeting and capability negotiation, concurrent commands
 * matched by id, typed errors, and an event stream whose waiters can be registered before the
 * command that triggers the event is sent (QEMU may emit the event before the reply).
 */
export class QmpClient implements QmpExecutor {
  /** QEMU's greeting (version, capabilities); set once `connect` resolves. */
  greeting!: QmpGreeting;
  /** Resolves (never rejects) once the connection is closed for any reason; see `closeReason`. */
  readonly closed: Promise<void>;
  /** Why the connection closed, once it has. */
  closeReason: Error | undefined;

  private readonly hub = new QmpEventHub();
  private readonly pending = new Map<string, PendingCommand>();
  private nextId = 1;
  private buffer = '';
  private greetingWaiter: { resolve: (g: QmpGreeting) => void; reject: (e: Error) => void } | undefined;
  private markClosed!: () => void;

  private constructor(
    private readonly socket: net.Socket,
    private readonly defaultTimeoutMs: number,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (error) => this.shutdown(new QmpClosedError(`QMP socket error: ${error.message}`, { cause: error })));
    socket.on('close', () => this.shutdown(new QmpClosedError('QMP connection closed by peer')));
  }

  /** Connects to QEMU's QMP socket, reads the greeting and negotiates capabilities. */
  static async connect(socketPath: string, options: QmpConnectOptions = {}): Promise<QmpClient> {
    const budget = options.connectTimeoutMs ?? 5000;
    const deadline = Date.now() + budget;
    const socket = await openSocket(socketPath, deadline, budget, options.retryIntervalMs ?? 50);
    const client = new QmpClient(socket, options.defaultTimeoutMs ?? 30_000);
    try {
      client.greeting = await client.readGreeting(Math.max(1, deadline - Date.now()), budget);
      const enable = options.capabilities?.length ? { enable: options.capabilities } : undefined;
      await client.execute('qmp_capabilities', enable, { timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (error) {
      client.shutdown(error as Error);
      socket.destroy();
      throw error;
    }
    return client;
  }

  /** True once the connection is closed; every later call fails with QmpClosedError. */
  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /** Runs a QMP command and resolves with its `return` value; rejects with QmpError on an error reply. */
  execute<T = unknown>(command: string, args?: QmpArguments, options: QmpExecuteOptions = {}): Promise<T> {
    if (this.closeReason) return Promise.reject(new QmpClosedError(`QMP connection closed; cannot run ${command}`, { cause: this.closeReason }));
    const id = `nc-${this.nextId++}`;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new QmpTimeoutError(`command ${command}`, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject, timer });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id })}\n`);
    });
  }

  /**
   * Resolves with the next event named `name` that passes `predicate`. The wait starts when this
   * is called, so call it before `execute` for events the command triggers (or use
   * `executeAndWaitForEvent`). Rejects with QmpTimeoutError, QmpClosedError or the abort reason.
   */
  waitForEvent(name: string, predicate?: QmpEventPredicate, timeoutMs = this.defaultTimeoutMs, signal?: AbortSignal): Promise<QmpEvent> {
    return this.hub.waitFor(name, predicate, timeoutMs, signal);
  }

  /** Registers a wait for `event`, runs `command`, and resolves with both once both have arrived. */
  async executeAndWaitForEvent<T = unknown>(
    command: string,
    args: QmpArguments | undefined,
    event: string,
    predicate?: QmpEventPredicate,
    options: QmpExecuteOptions = {},
  ): Promise<{ result: T; event: QmpEvent }> {
    const abort = new AbortController();
    const waiting = this.waitForEvent(event, predicate, options.timeoutMs ?? this.defaultTimeoutMs, abort.signal);
    waiting.catch(() => undefined); // handled below; avoids an unhandled rejection if execute fails first
    try {
      const result = await this.execute<T>(command, args, options);
      return { result, event: await waiting };
    } catch (error) {
      abort.abort(error);
      throw error;
    }
  }

  /** Calls `listener` for every event; returns the unsubscribe function. */
  onEvent(listener: QmpEventListener): () => void {
    return this.hub.subscribe(listener);
  }

  /** Async iterator over events received from now on; ends when the connection closes. */
  events(): AsyncIterableIterator<QmpEvent> {
    return this.hub.iterate();
  }

  /** Closes the connection (QEMU keeps running); pending commands and waiters reject with QmpClosedError. */
  async close(): Promise<void> {
    this.shutdown(new QmpClosedError('QMP connection closed by client'));
    this.socket.destroy();
    await this.closed;
  }

  private readGreeting(timeoutMs: number, budgetMs: number): Promise<QmpGreeting> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new QmpTimeoutError('greeting', budgetMs)), timeoutMs);
      this.greetingWaiter = {
        resolve: (greeting) => (clearTimeout(timer), resolve(greeting)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.onLine(line);
      if (this.closeReason) return;
    }
    if (this.buffer.length > MAX_LINE_BYTES) this.fail(new QmpProtocolError('QMP line too long'));
  }

  private onLine(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.fail(new QmpProtocolError(`QMP sent invalid JSON: ${line.slice(0, 200)}`));
      return;
    }
    if ('QMP' in message) {
      this.greetingWaiter?.resolve(message as unknown as QmpGreeting);
      this.greetingWaiter = undefined;
    } else if (typeof message.event === 'string') {
      this.hub.dispatch({ data: {}, timestamp: { seconds: 0, microseconds: 0 }, ...message } as QmpEvent);
    } else if ('return' in message || 'error' in message) {
      this.onReply(message);
    }
  }

  private onReply(message: Record<string, unknown>): void {
    // QEMU omits the id only when it could not parse the request; QMP answers in order, so it is the oldest one.
    const id = typeof message.id === 'string' ? message.id : this.pending.keys().next().value;
    const entry = id === undefined ? undefined : this.pending.get(id);
    if (!entry || id === undefined) return; // reply to a command that already timed out
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if ('error' in message) {
      const error = (message.error ?? {}) as { class?: string; desc?: string };
      entry.reject(new QmpError(entry.command, error.class ?? 'GenericError', error.desc ?? 'unknown error'));
    } else {
      entry.resolve(message.return);
    }
  }

  private fail(error: Error): void {
    this.shutdown(error);
    this.socket.destroy();
  }

  private shutdown(reason: Error): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.greetingWaiter?.reject(reason instanceof QmpClosedError || reason instanceof QmpProtocolError ? reason : new QmpClosedError(reason.message, { cause: reason }));
    this.greetingWaiter = undefined;
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      this.pending.delete(id);
      entry.reject(new QmpClosedError(`QMP connection closed before ${entry.command} replied`, { cause: reason }));
    }
    this.hub.close(reason);
    this.markClosed();
  }
}

async function openSocket(socketPath: string, deadline: number, budgetMs: number, retryIntervalMs: number): Promise<net.Socket> {
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new QmpTimeoutError('connect', budgetMs);
    try {
      return await connectOnce(socketPath, remaining, budgetMs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!(code && RETRYABLE_CONNECT_ERRORS.has(code)) || retryIntervalMs <= 0) throw toConnectError(socketPath, error);
      if (deadline - Date.now() <= retryIntervalMs) throw new QmpTimeoutError('connect', budgetMs);
      await sleep(retryIntervalMs);
    }
  }
}

function connectOnce(socketPath: string, timeoutMs: number, budgetMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new QmpTimeoutError('connect', budgetMs));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

function toConnectError(socketPath: string, error: unknown): Error {
  return error instanceof QmpTimeoutError ? error : new QmpConnectError(socketPath, { cause: error });
}
