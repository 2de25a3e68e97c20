import {
  AGENT_CONNECT_PATH, AGENT_PROTOCOL_VERSION, AgentCloseCodes, parseServerMessage,
  type AgentMessage, type CommandMessage, type ConsoleDataMessage, type DesiredMessage, type HeartbeatMessage,
  type NodeInventory, type WelcomeMessage,
} from '@novacron/api';
import WebSocket from 'ws';
import type { AgentLogger } from '../lib/logger';
import { Backoff } from './backoff';
import type { CredentialStore } from './credential-store';

/** What the link needs and whom it tells. */
export interface AgentLinkOptions {
  serverUrl: string;
  /** Used when there is no stored credential (first contact), or once if the stored credential is refused. */
  joinToken?: string;
  credentials: CredentialStore;
  hostname: string;
  inventory: NodeInventory;
  logger: AgentLogger;
  onDesired(msg: DesiredMessage): void;
  onCommand(msg: CommandMessage): void;
  /** The server gave up on a command: abort it if it still runs. */
  onCommandCancel(commandId: string): void;
  onConsoleData(msg: ConsoleDataMessage): void;
  /** Builds the body of a heartbeat (full observed state). */
  heartbeat(): Promise<Omit<HeartbeatMessage, 'type' | 'time'>>;
  /** The server refused this node for good (bad credential and token, unsupported version). */
  onFatal?(error: Error): void;
  backoff?: { initialMs?: number; maxMs?: number };
}

/** Events are history, not state: keep the ones made while disconnected (up to this many) and send them after welcome. */
const OUTBOX_LIMIT = 1000;

/**
 * The agent's WebSocket to the control plane: hello with the join token or the stored credential, stores the
 * credential from `welcome` (0600), heartbeats, hands `desired` and `command` messages on, and reconnects with backoff
 * (0.5 s doubling to 10 s) after any close except the fatal ones (4001 unauthorized, 4002 unsupported version).
 */
export class AgentLink {
  /** The node id from the last welcome. */
  nodeId: string | undefined;
  private ws: WebSocket | undefined;
  private welcomed = false;
  private stopped = false;
  private useJoinToken = false;
  private lastGeneration = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lastPong = 0;
  private readonly outbox: AgentMessage[] = [];
  private readonly backoff: Backoff;
  private firstWelcome!: { resolve(w: WelcomeMessage): void; reject(e: Error): void };
  private readonly welcomed$: Promise<WelcomeMessage>;

  constructor(private readonly o: AgentLinkOptions) {
    this.backoff = new Backoff(o.backoff?.initialMs ?? 500, o.backoff?.maxMs ?? 10_000);
    this.welcomed$ = new Promise((resolve, reject) => (this.firstWelcome = { resolve, reject }));
    this.welcomed$.catch(() => undefined);
  }

  /** Connects (and keeps reconnecting); resolves with the first welcome, rejects if the server refuses the node. */
  start(): Promise<WelcomeMessage> {
    this.connect();
    return this.welcomed$;
  }

  /** Whether the link is connected and welcomed. */
  get online(): boolean {
    return this.welcomed;
  }

  /** Bytes queued on the socket and not yet sent (console streams slow down while the link is backed up). */
  bufferedBytes(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  /** Sends a message if welcomed; `vm.event`s made while offline are queued, everything else is dropped (state heals by heartbeat). */
  send(msg: AgentMessage): boolean {
    const ws = this.ws;
    if (this.welcomed && ws?.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(msg));
      return true;
    }
    if (msg.type === 'vm.event') {
      this.outbox.push(msg);
      if (this.outbox.length > OUTBOX_LIMIT) this.outbox.shift();
    }
    return false;
  }

  /** Closes the connection for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    this.ws?.close(1000, 'agent stopping');
    this.ws = undefined;
    this.firstWelcome.reject(new Error('agent stopped before the control plane welcomed it'));
  }

  private connect(): void {
    if (this.stopped) return;
    const url = new URL(AGENT_CONNECT_PATH, this.o.serverUrl.replace(/^http/, 'ws')).href;
    const ws = new WebSocket(url, { handshakeTimeout: 10_000, maxPayload: 64 * 1024 * 1024 });
    this.ws = ws;
    ws.on('open', () => void this.hello(ws));
    ws.on('message', (data) => this.onMessage(ws, String(data)));
    ws.on('pong', () => (this.lastPong = Date.now()));
    ws.on('error', (error) => this.o.logger.debug({ err: error.message }, 'control plane connection error'));
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private async hello(ws: WebSocket): Promise<void> {
    const credential = this.useJoinToken ? undefined : (this.o.credentials.current() ?? (await this.o.credentials.load()));
    const auth = credential ? { nodeCredential: credential } : this.o.joinToken ? { joinToken: this.o.joinToken } : undefined;
    if (!auth) return this.fatal(ws, new Error(`no node credential in ${this.o.credentials.path} and no join token`));
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: AGENT_PROTOCOL_VERSION, hostname: this.o.hostname, inventory: this.o.inventory, ...auth }));
  }

  private onMessage(ws: WebSocket, text: string): void {
    if (ws !== this.ws) return;
    let msg;
    try {
      msg = parseServerMessage(text);
    } catch (error) {
      this.o.logger.warn({ err: (error as Error).message.slice(0, 300) }, 'control plane sent a message this agent cannot parse');
      const raw = safeJson(text);
      if (raw?.type === 'command' && typeof raw.commandId === 'string') {
        this.send({ type: 'command.result', commandId: raw.commandId, ok: false, error: { code: 'BAD_REQUEST', message: `invalid command: ${(error as Error).message.slice(0, 500)}` } });
      }
      return;
    }
    switch (msg.type) {
      case 'welcome':
        return void this.onWelcome(ws, msg);
      case 'desired':
        if (msg.generation <= this.lastGeneration) return; // an older push overtaken by a newer one
        this.lastGeneration = msg.generation;
        return this.o.onDesired(msg);
      case 'command':
        return this.o.onCommand(msg);
      case 'command.cancel':
        return this.o.onCommandCancel(msg.commandId);
      case 'console.data':
        return this.o.onConsoleData(msg);
    }
  }

  private async onWelcome(ws: WebSocket, welcome: WelcomeMessage): Promise<void> {
    if (welcome.nodeCredential) await this.o.credentials.save(welcome.nodeCredential);
    this.nodeId = welcome.nodeId;
    this.useJoinToken = false;
    this.welcomed = true;
    this.backoff.reset();
    this.o.logger.info({ nodeId: welcome.nodeId, joined: Boolean(welcome.nodeCredential) }, 'connected to the control plane');
    this.lastPong = Date.now();
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => this.beat(ws, welcome.heartbeatIntervalMs), welcome.heartbeatIntervalMs);
    await this.beat(ws, welcome.heartbeatIntervalMs);
    for (const msg of this.outbox.splice(0)) this.send(msg);
    this.firstWelcome.resolve(welcome);
  }

  private async beat(ws: WebSocket, intervalMs: number): Promise<void> {
    if (ws !== this.ws || !this.welcomed) return;
    // A control plane that vanished without closing (host down, cable cut) only shows as missing pongs.
    if (Date.now() - this.lastPong > intervalMs * 3 + 1000) return void ws.terminate();
    ws.ping();
    try {
      const body = await this.o.heartbeat();
      this.send({ type: 'heartbeat', time: new Date().toISOString(), ...body });
    } catch (error) {
      this.o.logger.warn({ err: (error as Error).message }, 'cannot build heartbeat');
    }
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.welcomed = false;
    this.lastGeneration = 0;
    clearInterval(this.heartbeatTimer);
    if (this.stopped) return;
    if (code === AgentCloseCodes.unauthorized) {
      // A refused credential (node deleted) may be replaced by a fresh join token given to this agent: try it once.
      const usedCredential = !this.useJoinToken && this.o.credentials.current() !== undefined;
      if (usedCredential && this.o.joinToken) {
        this.o.logger.warn({ reason }, 'node credential refused; trying the join token');
        this.useJoinToken = true;
        return this.connect();
      }
      return this.fatal(undefined, new Error(`control plane refused this node: ${reason || 'unauthorized'}`));
    }
    if (code === AgentCloseCodes.unsupportedVersion) return this.fatal(undefined, new Error(`control plane refused protocol version ${AGENT_PROTOCOL_VERSION}: ${reason}`));
    const delay = this.backoff.next();
    this.o.logger.info({ code, reason, retryInMs: delay }, 'disconnected from the control plane; reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private fatal(ws: WebSocket | undefined, error: Error): void {
    this.o.logger.error({ err: error.message }, 'agent cannot join the control plane');
    this.stopped = true;
    ws?.close(1000, 'giving up');
    this.firstWelcome.reject(error);
    this.o.onFatal?.(error);
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
