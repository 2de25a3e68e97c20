// A FAKE node agent for control-plane tests only: it speaks the real agent protocol over a real WebSocket but runs no
// QEMU. It pretends VMs converge at once on their desired power state and answers commands from a table of handlers.
// The real agent lives in apps/agent; the system tests (tests/system) run it against real QEMU.
import {
  AGENT_CONNECT_PATH, AGENT_PROTOCOL_VERSION, parseServerMessage, type CommandKind, type CommandMessage, type DesiredMessage,
  type PoolSpec, type VmSpec, type VmStatus,
} from '@novacron/api';
import { createHash } from 'node:crypto';
import { WebSocket } from 'ws';

/** What a command handler returns: a result, or an error the fake answers with. */
export type FakeAnswer = Record<string, unknown> | { error: { code: string; message: string } };

/** Handles one command kind. */
export type FakeHandler = (args: any, cmd: CommandMessage, agent: FakeAgent) => FakeAnswer | Promise<FakeAnswer>;

/** Options of a fake agent. */
export interface FakeAgentOptions {
  /** `http://127.0.0.1:port` of the control plane. */
  serverUrl: string;
  joinToken?: string;
  nodeCredential?: string;
  hostname?: string;
  cpus?: number;
  memoryMiB?: number;
}

/** A fake node agent. Records what it received; `handlers` can be replaced per test. */
export class FakeAgent {
  socket!: WebSocket;
  nodeId = '';
  nodeCredential?: string;
  heartbeatIntervalMs = 0;
  readonly desired: DesiredMessage[] = [];
  readonly commands: CommandMessage[] = [];
  /** Ids of the commands the server cancelled (`command.cancel`). */
  readonly cancelled: string[] = [];
  readonly vms = new Map<string, VmStatus>();
  readonly specs = new Map<string, VmSpec>();
  pools: PoolSpec[] = [];
  closeCode: number | null = null;
  /** Echoed console streams: every byte sent to a stream comes back prefixed with `echo:`. */
  readonly streams = new Set<string>();
  heartbeating = true;
  /** Makes starting a VM fail (QEMU would not start): answer the error to report, or undefined to start it. */
  startFailure?: (spec: VmSpec) => { code: string; message: string } | undefined;
  private timer?: NodeJS.Timeout;
  private readonly waiters: (() => void)[] = [];

  readonly handlers: Partial<Record<CommandKind, FakeHandler>> = {
    'image.import': async (a, _c, agent) => {
      const format = a.kind === 'disk' ? 'qcow2' : a.kind;
      if (a.source.type === 'upload') {
        const got = await agent.fetchUpload(a.source.uploadId);
        if (got.status !== 200) return { error: { code: 'IO_ERROR', message: `fetching the upload answered ${got.status}` } };
        return { format, sizeBytes: got.size, virtualSizeBytes: got.size, sha256: got.sha256 };
      }
      return { format, sizeBytes: 1234, virtualSizeBytes: a.kind === 'disk' ? 2 * 1024 ** 3 : 1234, sha256: 'a'.repeat(64) };
    },
    'image.delete': () => ({}),
    'volume.create': (a) => ({ sizeBytes: a.sizeBytes, allocationBytes: 196_608 }),
    'volume.resize': (a) => ({ sizeBytes: a.sizeBytes }),
    'volume.delete': () => ({}),
    'vm.purge': (a, _c, agent) => {
      agent.vms.delete(a.vmId);
      return {};
    },
    'vm.reboot': () => ({}),
    'vm.reset': () => ({}),
    'vm.powerdown': () => ({}),
    'vm.snapshot.create': (a) => ({ includesRam: a.includeRam }),
    'vm.snapshot.revert': () => ({}),
    'vm.snapshot.delete': () => ({}),
    'vm.disk.attach': () => ({}),
    'vm.disk.detach': () => ({}),
    'vm.nic.attach': () => ({}),
    'vm.nic.detach': () => ({}),
    'vm.resize': () => ({}),
    'vm.serial.read': (a) => ({ data: Buffer.from(`serial of ${a.vmId}\nNOVACRON-READY\n`).toString('base64'), truncated: false }),
    'console.open': (a, _c, agent) => {
      agent.streams.add(a.streamId);
      return {};
    },
    'console.close': (a, _c, agent) => {
      agent.streams.delete(a.streamId);
      return {};
    },
  };

  constructor(private readonly opts: FakeAgentOptions) {}

  /** Connects, says hello and resolves after `welcome` (rejects when the server closes instead). */
  async connect(): Promise<this> {
    const url = `${this.opts.serverUrl.replace(/^http/, 'ws')}${AGENT_CONNECT_PATH}`;
    this.socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closeCode = null;
    const welcomed = new Promise<void>((resolve, reject) => {
      this.socket.on('message', (raw) => {
        const msg = parseServerMessage(String(raw));
        if (msg.type === 'welcome') {
          this.nodeId = msg.nodeId;
          if (msg.nodeCredential) this.nodeCredential = msg.nodeCredential;
          this.heartbeatIntervalMs = msg.heartbeatIntervalMs;
          this.startHeartbeats();
          resolve();
        } else void this.handle(msg);
      });
      this.socket.once('close', (code) => {
        this.closeCode = code;
        clearInterval(this.timer);
        reject(new Error(`closed ${code}`));
      });
    });
    const credential = this.nodeCredential ?? this.opts.nodeCredential;
    this.send({
      type: 'hello', protocolVersion: AGENT_PROTOCOL_VERSION, hostname: this.opts.hostname ?? 'fake-node',
      ...(credential ? { nodeCredential: credential } : { joinToken: this.opts.joinToken }),
      inventory: {
        cpuModel: 'Fake CPU', cpus: this.opts.cpus ?? 4, memoryMiB: this.opts.memoryMiB ?? 8192, disks: [], kvm: false, accel: 'tcg',
        qemuVersion: '7.2.22', agentVersion: 'fake', arch: 'x86_64',
      },
    });
    await welcomed;
    return this;
  }

  send(msg: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(msg));
  }

  /** Sends one heartbeat now (with every VM status and fixed pool figures). */
  heartbeat(): void {
    if (!this.heartbeating) return;
    this.send({
      type: 'heartbeat', time: new Date().toISOString(), vms: [...this.vms.values()],
      pools: this.pools.map((p) => ({ poolId: p.id, capacityBytes: 100 * 1024 ** 3, availableBytes: 60 * 1024 ** 3, allocationBytes: 1024 ** 3 })),
    });
  }

  private startHeartbeats() {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.heartbeat(), this.heartbeatIntervalMs);
  }

  private async handle(msg: ReturnType<typeof parseServerMessage>) {
    if (msg.type === 'desired') {
      this.desired.push(msg);
      this.pools = msg.pools;
      this.reconcile(msg);
      this.heartbeat(); // report pools at once, so tests need not wait for an interval
    } else if (msg.type === 'command') {
      this.commands.push(msg);
      const handler = this.handlers[msg.kind];
      let answer: FakeAnswer;
      try {
        answer = handler ? await handler(msg.args, msg, this) : { error: { code: 'UNSUPPORTED', message: `fake agent: no ${msg.kind}` } };
      } catch (err) {
        answer = { error: { code: 'INTERNAL', message: (err as Error).message } };
      }
      if ('error' in answer && answer.error && typeof answer.error === 'object') this.send({ type: 'command.result', commandId: msg.commandId, ok: false, error: answer.error });
      else this.send({ type: 'command.result', commandId: msg.commandId, ok: true, result: answer });
    } else if (msg.type === 'command.cancel') {
      this.cancelled.push(msg.commandId);
    } else if (msg.type === 'console.data') {
      if (this.streams.has(msg.streamId)) {
        this.send({ type: 'console.data', streamId: msg.streamId, data: Buffer.concat([Buffer.from('echo:'), Buffer.from(msg.data, 'base64')]).toString('base64') });
      }
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Converges at once: running/paused/stopped as desired; VMs no longer desired are stopped and forgotten. */
  private reconcile(msg: DesiredMessage) {
    const wanted = new Set(msg.vms.map((v) => v.id));
    for (const id of [...this.vms.keys()]) if (!wanted.has(id)) this.vms.delete(id);
    for (const spec of msg.vms) {
      this.specs.set(spec.id, spec);
      const cur = this.vms.get(spec.id);
      // Like the real reconciler: a VM that ended on its own is not started again without a newer revision.
      if (cur && cur.observedRevision >= spec.revision) continue;
      const state = spec.powerState === 'running' ? 'running' : spec.powerState === 'paused' ? 'paused' : 'stopped';
      const failure = state !== 'stopped' && (!cur || cur.pid === null) ? this.startFailure?.(spec) : undefined;
      if (failure) {
        this.setStatus({ vmId: spec.id, state: 'error', observedRevision: spec.revision, pid: null, accel: null, since: new Date().toISOString(), error: failure });
        continue;
      }
      this.setStatus({ vmId: spec.id, state, observedRevision: spec.revision, pid: state === 'stopped' ? null : 4242, accel: state === 'stopped' ? null : 'tcg', since: new Date().toISOString() });
    }
  }

  /** Reports a status (and remembers it for heartbeats). */
  setStatus(status: VmStatus): void {
    this.vms.set(status.vmId, status);
    this.send({ type: 'vm.status', ...status });
  }

  /** Pretends QEMU died. */
  crash(vmId: string): void {
    const cur = this.vms.get(vmId);
    if (!cur) throw new Error(`fake agent: no VM ${vmId}`);
    this.send({ type: 'vm.event', vmId, event: 'crashed', time: new Date().toISOString(), detail: { signal: 'SIGKILL' } });
    this.setStatus({ ...cur, state: 'crashed', pid: null, since: new Date().toISOString(), error: { code: 'QEMU_EXITED', message: 'QEMU was killed by SIGKILL' } });
  }

  /** Fetches an uploaded image as the real agent would (`Authorization: Node <credential>`); answers its sha256 and size. */
  async fetchUpload(uploadId: string, credential = this.nodeCredential): Promise<{ status: number; sha256: string; size: number }> {
    const res = await fetch(`${this.opts.serverUrl}/api/v1/agent/uploads/${uploadId}`, { headers: { authorization: `Node ${credential}` } });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, sha256: createHash('sha256').update(body).digest('hex'), size: body.length };
  }

  /** Resolves once `predicate` holds, checking after every message (or rejects after `timeoutMs`). */
  async until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > end) throw new Error('fake agent: condition not reached in time');
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** The commands of one kind received so far. */
  received(kind: CommandKind): CommandMessage[] {
    return this.commands.filter((c) => c.kind === kind);
  }

  /** Disconnects (the node goes offline at once). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** The sha256 hex of bytes (for asserting on uploads). */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
