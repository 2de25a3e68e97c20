import {
  AGENT_PROTOCOL_VERSION, AgentCloseCodes, AgentMessage, ApiError, type CommandArgs, type CommandKind, type CommandResultOf,
  type HelloMessage, type PoolSpec, type PoolStatus, type VmEventMessage, type VmSpec, type VmStatus,
} from '@novacron/api';
import type { WebSocket } from 'ws';
import { Mutex } from '../lib/mutex';
import { newId } from '../lib/ids';
import { AgentConnection, type CommandOptions, type ConsoleSink } from './agent-connection';
import { AgentAuthError, type NodeService } from './node.service';

/** What the hub asks the rest of the control plane for, and tells it about. */
export interface AgentHandlers {
  /** The full desired state of a node. */
  desiredFor(nodeId: string): Promise<{ vms: VmSpec[]; pools: PoolSpec[] }>;
  onStatus(nodeId: string, status: VmStatus): Promise<void>;
  onVmEvent(nodeId: string, msg: VmEventMessage): Promise<void>;
  onPools(nodeId: string, pools: PoolStatus[]): Promise<void>;
}

/** A console stream to a VM through its node's agent. */
export interface ConsoleStream {
  write(bytes: Buffer): void;
  close(): void;
}

const HELLO_TIMEOUT_MS = 10_000;
const TOUCH_EVERY_MS = 5_000;

/** Every connected node agent: accepts their sockets, tracks liveness, pushes desired state, sends commands. */
export class AgentHub {
  /** How often agents heartbeat; a node is offline after three intervals of silence. Tests shorten it. */
  heartbeatIntervalMs = 2_000;
  private readonly conns = new Map<string, AgentConnection>();
  private readonly pushLocks = new Map<string, Mutex>();
  // Time-based so a restarted control plane still pushes generations larger than before.
  private generation = Date.now();
  private handlers: AgentHandlers | null = null;
  private stopping = false;

  constructor(
    private readonly nodes: NodeService,
    private readonly log: { warn(obj: object, msg: string): void } = { warn: () => {} },
  ) {}

  /** Connects the hub to the VM, image and storage services (they need the hub too, so this comes after construction). */
  setHandlers(h: AgentHandlers): void {
    this.handlers = h;
  }

  /** Whether a node's agent is connected now. */
  isOnline(nodeId: string | null | undefined): boolean {
    return nodeId ? this.conns.has(nodeId) : false;
  }

  /** Ids of connected nodes. */
  onlineNodes(): string[] {
    return [...this.conns.keys()];
  }

  /** Runs the protocol on a freshly upgraded socket. */
  accept(socket: WebSocket): void {
    let conn: AgentConnection | null = null;
    let liveness: NodeJS.Timeout | undefined;
    let lastTouch = 0;
    let chain: Promise<unknown> = Promise.resolve();
    // The interval this agent is told in its welcome; liveness is judged by it for the life of the connection.
    const interval = this.heartbeatIntervalMs;
    const helloTimer = setTimeout(() => socket.close(AgentCloseCodes.unauthorized, 'hello expected'), HELLO_TIMEOUT_MS);

    const alive = () => {
      clearTimeout(liveness);
      liveness = setTimeout(() => socket.terminate(), interval * 3);
      if (conn && Date.now() - lastTouch > TOUCH_EVERY_MS) {
        lastTouch = Date.now();
        void this.nodes.touch(conn.nodeId).catch(() => {});
      }
    };

    const onHello = async (hello: HelloMessage) => {
      clearTimeout(helloTimer);
      if (hello.protocolVersion !== AGENT_PROTOCOL_VERSION) {
        return socket.close(AgentCloseCodes.unsupportedVersion, `protocol version ${AGENT_PROTOCOL_VERSION} only`);
      }
      let auth;
      try {
        auth = await this.nodes.authenticate(hello);
      } catch (err) {
        if (err instanceof AgentAuthError) return socket.close(AgentCloseCodes.unauthorized, err.message);
        throw err;
      }
      if (this.stopping) return socket.close(AgentCloseCodes.shuttingDown, 'shutting down');
      const previous = this.conns.get(auth.node.id);
      conn = new AgentConnection(auth.node.id, auth.node.name, socket);
      this.conns.set(auth.node.id, conn);
      if (previous) {
        previous.dispose('replaced');
        previous.close(AgentCloseCodes.replaced, 'replaced by a newer connection');
      }
      await this.nodes.markOnline(auth.node.id, hello.hostname, hello.inventory);
      conn.send({
        type: 'welcome', protocolVersion: AGENT_PROTOCOL_VERSION, nodeId: auth.node.id,
        ...(auth.credential ? { nodeCredential: auth.credential } : {}), heartbeatIntervalMs: interval,
      });
      alive();
      await this.pushDesired(auth.node.id);
    };

    const handle = async (msg: AgentMessage) => {
      if (msg.type === 'hello') {
        if (conn) return socket.close(AgentCloseCodes.badMessage, 'hello sent twice');
        return onHello(msg);
      }
      const c = conn;
      if (!c) return socket.close(AgentCloseCodes.unauthorized, 'hello expected');
      const h = this.handlers;
      switch (msg.type) {
        case 'heartbeat':
          if (!h) return;
          for (const vm of msg.vms) await h.onStatus(c.nodeId, vm);
          if (msg.pools.length) await h.onPools(c.nodeId, msg.pools);
          return;
        case 'vm.status': {
          const { type: _t, ...status } = msg;
          return h?.onStatus(c.nodeId, status);
        }
        case 'vm.event':
          return h?.onVmEvent(c.nodeId, msg);
        case 'command.result':
          return c.result(msg);
        case 'command.progress':
          return c.progress(msg.commandId, msg.progress, msg.detail);
        case 'console.data':
          return c.streams.get(msg.streamId)?.data(Buffer.from(msg.data, 'base64'));
        case 'console.closed': {
          const sink = c.streams.get(msg.streamId);
          c.streams.delete(msg.streamId);
          return sink?.closed(msg.reason ?? 'closed by the node');
        }
      }
    };

    socket.on('message', (raw) => {
      if (conn) alive();
      let msg: AgentMessage;
      try {
        msg = AgentMessage.parse(JSON.parse(String(raw)));
      } catch (err) {
        this.log.warn({ err: (err as Error).message.slice(0, 500) }, 'agent sent a malformed message');
        return socket.close(AgentCloseCodes.badMessage, 'malformed message');
      }
      // One message at a time per agent, so status reports apply in the order they were sent.
      chain = chain.then(() => handle(msg)).catch((err) => this.log.warn({ err: (err as Error).message }, 'agent message failed'));
    });

    socket.on('close', () => {
      clearTimeout(helloTimer);
      clearTimeout(liveness);
      const c = conn;
      if (!c) return;
      c.dispose('connection closed');
      if (this.conns.get(c.nodeId) !== c) return; // replaced by a newer connection: the node stays online
      this.conns.delete(c.nodeId);
      if (!this.stopping) void this.nodes.markOffline(c.nodeId).catch(() => {});
    });
    socket.on('error', () => socket.terminate());
  }

  /** Sends a node its full desired state (no-op when it is offline: it gets it at its next hello). */
  async pushDesired(nodeId: string | null | undefined): Promise<void> {
    if (!nodeId || !this.handlers) return;
    let lock = this.pushLocks.get(nodeId);
    if (!lock) this.pushLocks.set(nodeId, (lock = new Mutex()));
    await lock.run(async () => {
      const conn = this.conns.get(nodeId);
      if (!conn) return;
      const { vms, pools } = await this.handlers!.desiredFor(nodeId);
      conn.send({ type: 'desired', generation: ++this.generation, vms, pools });
    });
  }

  private conn(nodeId: string | null | undefined): AgentConnection {
    const c = nodeId ? this.conns.get(nodeId) : undefined;
    if (!c) throw new ApiError('NODE_UNREACHABLE', `node ${nodeId ?? '(none)'} is offline`);
    return c;
  }

  /** Sends a command to a node's agent and waits for its result. */
  command<K extends CommandKind>(nodeId: string | null | undefined, kind: K, args: CommandArgs<K>, opts?: CommandOptions): Promise<CommandResultOf<K>> {
    try {
      return this.conn(nodeId).command(kind, args, opts);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Opens a VNC or serial stream of a VM on its node. */
  async openConsole(nodeId: string, vmId: string, type: 'vnc' | 'serial', sink: ConsoleSink): Promise<ConsoleStream> {
    const conn = this.conn(nodeId);
    const streamId = newId();
    conn.streams.set(streamId, sink);
    try {
      await conn.command('console.open', { streamId, vmId, type }, { timeoutMs: 10_000 });
    } catch (err) {
      conn.streams.delete(streamId);
      throw err;
    }
    let open = true;
    return {
      write: (bytes) => {
        if (open) conn.send({ type: 'console.data', streamId, data: bytes.toString('base64') });
      },
      close: () => {
        if (!open) return;
        open = false;
        conn.streams.delete(streamId);
        void conn.command('console.close', { streamId }, { timeoutMs: 5_000 }).catch(() => {});
      },
    };
  }

  /** Closes every agent connection (they reconnect to the next control plane). */
  close(): void {
    this.stopping = true;
    for (const c of this.conns.values()) {
      c.dispose('control plane shutting down');
      c.close(AgentCloseCodes.shuttingDown, 'control plane shutting down');
    }
    this.conns.clear();
  }
}
