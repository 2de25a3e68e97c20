// TEST HELPER: a minimal control plane speaking agent protocol v1 (validated with the real schemas), for agent
// integration tests until/besides the real server. Never used in production.
import {
  AGENT_CONNECT_PATH, AGENT_PROTOCOL_VERSION, AgentCloseCodes, parseAgentMessage,
  type AgentMessage, type CommandKind, type CommandResultMessage, type HelloMessage, type PoolSpec, type VmEventMessage,
  type VmSpec, type VmStatus,
} from '@novacron/api';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A scripted control plane on 127.0.0.1: accepts one join token, issues a credential, records everything. */
export class TestControlPlane {
  readonly joinToken = `ncj_${randomBytes(8).toString('hex')}`;
  credential: string | undefined;
  readonly nodeId = 'node-test-1';
  readonly hellos: HelloMessage[] = [];
  readonly received: AgentMessage[] = [];
  /** Frames that failed the protocol schema (a test should assert this stays empty). */
  readonly invalid: string[] = [];
  readonly statuses = new Map<string, VmStatus>();
  heartbeatIntervalMs = 500;
  private socket: WebSocket | undefined;
  private generation = 0;
  private desired: { vms: VmSpec[]; pools: PoolSpec[] } = { vms: [], pools: [] };
  private nextCommand = 1;
  private readonly pending = new Map<string, (result: CommandResultMessage) => void>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  /** Starts listening on a random loopback port. */
  static async start(): Promise<TestControlPlane> {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ server, path: AGENT_CONNECT_PATH });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const cp = new TestControlPlane(server, wss, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    wss.on('connection', (ws) => cp.accept(ws));
    return cp;
  }

  /** Events received so far. */
  get events(): VmEventMessage[] {
    return this.received.filter((m): m is VmEventMessage => m.type === 'vm.event');
  }

  /** Whether an agent is connected and welcomed. */
  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** Replaces the desired state and pushes it (again at every connect). */
  pushDesired(vms: VmSpec[], pools: PoolSpec[] = []): void {
    this.desired = { vms, pools };
    this.socket?.send(JSON.stringify({ type: 'desired', generation: ++this.generation, ...this.desired }));
  }

  /** Sends a command and resolves with its result. */
  command<K extends CommandKind>(kind: K, args: unknown, timeoutMs = 60_000): Promise<CommandResultMessage> {
    const commandId = `cmd${this.nextCommand++}`;
    if (!this.socket) return Promise.reject(new Error('no agent connected'));
    const done = new Promise<CommandResultMessage>((resolve) => this.pending.set(commandId, resolve));
    this.socket.send(JSON.stringify({ type: 'command', commandId, kind, args, timeoutMs }));
    return done;
  }

  /** Re-sends a raw frame (tests of duplicate command ids). */
  sendRaw(msg: object): void {
    this.socket?.send(JSON.stringify(msg));
  }

  /** Waits until `check` returns a value other than undefined/false. */
  async waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last statuses ${JSON.stringify([...this.statuses.values()])}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** Waits for a VM status matching `check`. */
  waitStatus(vmId: string, check: (s: VmStatus) => boolean, what: string, timeoutMs?: number): Promise<VmStatus> {
    return this.waitFor(() => {
      const s = this.statuses.get(vmId);
      return s && check(s) ? s : undefined;
    }, `${vmId}: ${what}`, timeoutMs);
  }

  /** Waits for a `vm.event` of a VM after index `from` of `events`. */
  waitEvent(vmId: string, event: string, from = 0, timeoutMs?: number): Promise<VmEventMessage> {
    return this.waitFor(() => this.events.slice(from).find((e) => e.vmId === vmId && e.event === event), `${vmId}: event ${event}`, timeoutMs);
  }

  /** Drops the agent's connection (it reconnects). */
  disconnect(code = 1012): void {
    this.socket?.close(code, 'test disconnect');
  }

  /** Stops listening and closes connections. */
  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    ws.on('message', (raw) => {
      let msg: AgentMessage;
      try {
        msg = parseAgentMessage(String(raw));
      } catch (error) {
        this.invalid.push(`${(error as Error).message.slice(0, 500)} in ${String(raw).slice(0, 300)}`);
        return;
      }
      this.received.push(msg);
      if (msg.type === 'hello') this.onHello(ws, msg);
      else if (msg.type === 'vm.status') this.statuses.set(msg.vmId, msg);
      else if (msg.type === 'heartbeat') for (const s of msg.vms) this.statuses.set(s.vmId, s);
      else if (msg.type === 'command.result') this.pending.get(msg.commandId)?.(msg);
      for (const wake of [...this.waiters]) wake();
      this.waiters.clear();
    });
    ws.on('close', () => {
      if (this.socket === ws) this.socket = undefined;
    });
  }

  private onHello(ws: WebSocket, hello: HelloMessage): void {
    this.hellos.push(hello);
    const byToken = hello.joinToken === this.joinToken && this.credential === undefined;
    const byCredential = hello.nodeCredential !== undefined && hello.nodeCredential === this.credential;
    if (!byToken && !byCredential) return void ws.close(AgentCloseCodes.unauthorized, 'unknown token or credential');
    if (byToken) this.credential = `ncn_${randomBytes(16).toString('hex')}`;
    this.socket?.close(AgentCloseCodes.replaced, 'replaced');
    this.socket = ws;
    ws.send(JSON.stringify({
      type: 'welcome', protocolVersion: AGENT_PROTOCOL_VERSION, nodeId: this.nodeId,
      ...(byToken ? { nodeCredential: this.credential } : {}), heartbeatIntervalMs: this.heartbeatIntervalMs,
    }));
    ws.send(JSON.stringify({ type: 'desired', generation: ++this.generation, ...this.desired }));
  }
}
