import type { AgentMessage, CommandArgs, CommandKind, CommandMessage, CommandResultMessage, CommandResultOf } from '@novacron/api';
import { toWireError } from '../lib/agent-error';
import type { AgentLogger } from '../lib/logger';

/** What a command handler gets besides its args. */
export interface CommandContext {
  commandId: string;
  /** Aborted when the command's `timeoutMs` has passed (the server has given up) or the agent stops. */
  signal: AbortSignal;
  /** Reports progress (0–100) of a long command. */
  progress(percent: number, detail?: string): void;
}

/** Runs one command kind. Throw an AgentError to answer with its code. */
export type CommandHandler<K extends CommandKind> = (args: CommandArgs<K>, ctx: CommandContext) => Promise<CommandResultOf<K>>;

/** Handlers by command kind; kinds without one are answered UNSUPPORTED. */
export type CommandHandlers = { [K in CommandKind]?: CommandHandler<K> };

const REMEMBERED_RESULTS = 512;

/**
 * Runs `command` messages and answers each with exactly one `command.result`. A repeated `commandId` (the server
 * re-sending after a reconnect) is not run again: it gets the same answer, or none yet while the first run is going.
 */
export class CommandDispatcher {
  private readonly results = new Map<string, CommandResultMessage>();
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly handlers: CommandHandlers,
    private readonly send: (msg: AgentMessage) => boolean,
    private readonly log: AgentLogger,
  ) {}

  /** Adds or replaces the handler of a kind (snapshot, hot-plug and console code register theirs). */
  register<K extends CommandKind>(kind: K, handler: CommandHandler<K>): void {
    (this.handlers as Record<string, unknown>)[kind] = handler;
  }

  /** Runs a command (without waiting for it). */
  dispatch(msg: CommandMessage): void {
    const known = this.results.get(msg.commandId);
    if (known) return void this.send(known);
    if (this.running.has(msg.commandId)) return;
    const handler = this.handlers[msg.kind] as CommandHandler<CommandKind> | undefined;
    if (!handler) return this.answer({ type: 'command.result', commandId: msg.commandId, ok: false, error: { code: 'UNSUPPORTED', message: `this agent does not implement ${msg.kind}` } });
    const abort = new AbortController();
    this.running.set(msg.commandId, abort);
    const timer = setTimeout(() => abort.abort(new Error(`${msg.kind} timed out after ${msg.timeoutMs} ms`)), msg.timeoutMs);
    let lastProgress = -1;
    const ctx: CommandContext = {
      commandId: msg.commandId,
      signal: abort.signal,
      progress: (percent, detail) => {
        const p = Math.max(0, Math.min(100, Math.round(percent)));
        if (p === lastProgress) return;
        lastProgress = p;
        this.send({ type: 'command.progress', commandId: msg.commandId, progress: p, ...(detail ? { detail } : {}) });
      },
    };
    const started = Date.now();
    void handler(msg.args as never, ctx)
      .then((result) => ({ type: 'command.result', commandId: msg.commandId, ok: true, result: result as Record<string, unknown> }) as const)
      .catch((error: unknown) => {
        const reason = abort.signal.reason as Error | undefined;
        const wire = !abort.signal.aborted ? toWireError(error)
          : { code: reason instanceof CommandCancelled ? ('CANCELLED' as const) : ('TIMEOUT' as const), message: String(reason?.message ?? 'aborted') };
        this.log.warn({ commandId: msg.commandId, kind: msg.kind, code: wire.code, err: wire.message }, 'command failed');
        return { type: 'command.result', commandId: msg.commandId, ok: false, error: wire } as const;
      })
      .then((result) => {
        clearTimeout(timer);
        this.running.delete(msg.commandId);
        this.log.debug({ commandId: msg.commandId, kind: msg.kind, ok: result.ok, ms: Date.now() - started }, 'command done');
        this.answer(result);
      });
  }

  /** Aborts a running command the server gave up on (no-op when it already ended); it answers CANCELLED. */
  cancel(commandId: string): void {
    this.running.get(commandId)?.abort(new CommandCancelled());
  }

  /** Aborts every running command (agent stopping). */
  abortAll(): void {
    for (const abort of this.running.values()) abort.abort(new Error('agent stopping'));
  }

  private answer(result: CommandResultMessage): void {
    this.results.set(result.commandId, result);
    if (this.results.size > REMEMBERED_RESULTS) this.results.delete(this.results.keys().next().value as string);
    this.send(result);
  }
}

// Why a command's signal was aborted when the server cancelled it (as opposed to its timeout or the agent stopping).
class CommandCancelled extends Error {
  constructor() {
    super('cancelled by the control plane');
  }
}
