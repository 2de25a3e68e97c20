import {
  ApiError, commandSchemas, type CommandArgs, type CommandKind, type CommandResultMessage, type CommandResultOf, type ServerMessage,
} from '@novacron/api';
import type { WebSocket } from 'ws';
import { agentError } from '../compute/agent-errors';
import { newId } from '../lib/ids';

/** Where the bytes of a console stream from the agent go. */
export interface ConsoleSink {
  data(bytes: Buffer): void;
  closed(reason: string): void;
}

/** Options of one command. */
export interface CommandOptions {
  timeoutMs?: number;
  onProgress?: (percent: number, detail?: string) => void;
  signal?: AbortSignal;
}

interface Pending {
  kind: CommandKind;
  resolve(result: unknown): void;
  reject(err: Error): void;
  onProgress?: CommandOptions['onProgress'];
}

// Grace beyond the agent's own timeout, so the agent's TIMEOUT answer normally arrives before ours fires.
const TIMEOUT_GRACE_MS = 5_000;

/** One authenticated agent WebSocket: sends messages, matches command results, routes console bytes. */
export class AgentConnection {
  private readonly pending = new Map<string, Pending>();
  readonly streams = new Map<string, ConsoleSink>();
  private closed = false;

  constructor(
    readonly nodeId: string,
    readonly nodeName: string,
    private readonly socket: WebSocket,
  ) {}

  /** Sends one message; false when the socket is gone. */
  send(msg: ServerMessage): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    this.socket.send(JSON.stringify(msg));
    return true;
  }

  /** Sends a command and resolves with its validated result, or rejects with the agent's error mapped to an API error. */
  command<K extends CommandKind>(kind: K, args: CommandArgs<K>, opts: CommandOptions = {}): Promise<CommandResultOf<K>> {
    const commandId = newId();
    const timeoutMs = opts.timeoutMs ?? 60_000;
    return new Promise<CommandResultOf<K>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(commandId);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const timer = setTimeout(() => {
        done();
        reject(new ApiError('NODE_TIMEOUT', `node ${this.nodeName} did not answer ${kind} within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs + TIMEOUT_GRACE_MS);
      const onAbort = () => {
        done();
        this.send({ type: 'command.cancel', commandId }); // so the node stops the work too (an import, a copy)
        reject(new ApiError('OPERATION_CANCELLED', `${kind} cancelled`));
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(commandId, {
        kind,
        onProgress: opts.onProgress,
        resolve: (r) => {
          done();
          resolve(r as CommandResultOf<K>);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      const sent = this.send({ type: 'command', commandId, kind, args, timeoutMs } as ServerMessage);
      if (!sent) this.pending.get(commandId)?.reject(new ApiError('NODE_UNREACHABLE', `node ${this.nodeName} is not connected`));
    });
  }

  /** Routes a `command.result`. */
  result(msg: CommandResultMessage): void {
    const p = this.pending.get(msg.commandId);
    if (!p) return; // late answer to a command we gave up on
    if (!msg.ok) return p.reject(agentError(msg.error?.code ?? 'INTERNAL', msg.error?.message ?? `${p.kind} failed`, this.nodeName));
    const parsed = commandSchemas[p.kind].result.safeParse(msg.result ?? {});
    if (!parsed.success) return p.reject(new ApiError('HYPERVISOR_ERROR', `node ${this.nodeName} answered ${p.kind} with an unexpected result`));
    p.resolve(parsed.data);
  }

  /** Routes a `command.progress`. */
  progress(commandId: string, percent: number, detail?: string): void {
    this.pending.get(commandId)?.onProgress?.(percent, detail);
  }

  /** The socket ended: every waiting command fails, every console stream closes. */
  dispose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pending.values()]) p.reject(new ApiError('NODE_UNREACHABLE', `node ${this.nodeName} disconnected (${reason})`));
    for (const sink of this.streams.values()) sink.closed(`node disconnected (${reason})`);
    this.streams.clear();
  }

  /** Closes the socket with a protocol close code. */
  close(code: number, reason: string): void {
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }
}
