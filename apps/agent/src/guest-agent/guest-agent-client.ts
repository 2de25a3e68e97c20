// qemu-guest-agent (QGA) over the VM's virtio-serial channel `org.qemu.guest_agent.0`, which QEMU exposes on a unix
// socket (QemuVmSpec.guestAgentSocketPath, VmRunPaths.guestAgentSocket). The socket is always there, whether or not a
// guest agent runs inside: without one, nothing ever answers. So every session starts with `guest-sync-delimited`
// (which also skips stale replies of an earlier, timed-out session) under a timeout, and callers treat "no guest
// agent" as a normal answer, not a failure. QEMU serves one client per chardev: sessions are short, one per call.
import net from 'node:net';
import type { GuestInfo } from '../drivers/hypervisor/driver';
import type { QmpExecutor } from '../drivers/hypervisor/qemu/qmp/qmp-types';

/** Why a guest agent call failed. */
export type GuestAgentFailure = 'unavailable' | 'timeout' | 'command-failed' | 'closed';

/** A failed guest agent call; `reason: 'unavailable'` means no guest agent answers (the common case, not an error). */
export class GuestAgentError extends Error {
  constructor(
    readonly reason: GuestAgentFailure,
    message: string,
    /** QGA error class for `command-failed`. */
    readonly errorClass?: string,
  ) {
    super(message);
    this.name = 'GuestAgentError';
  }
}

/** One interface of guest-network-get-interfaces. */
export interface GuestNetworkInterface {
  name: string;
  'hardware-address'?: string;
  'ip-addresses'?: Array<{ 'ip-address-type': 'ipv4' | 'ipv6'; 'ip-address': string; prefix: number }>;
}

/** guest-get-osinfo (all fields optional: what the guest knows). */
export interface GuestOsInfo {
  id?: string;
  name?: string;
  'pretty-name'?: string;
  version?: string;
  'version-id'?: string;
  'kernel-release'?: string;
  machine?: string;
}

/** Options of a guest agent session. */
export interface GuestAgentOptions {
  /** Budget of the sync handshake: how long to wait for a guest agent to show it is there (default 2000 ms). */
  syncTimeoutMs?: number;
  /** Budget of each command after the sync (default 10000 ms). */
  commandTimeoutMs?: number;
}

const SYNC_DELIMITER = 0xff;

/** A short session with the guest agent: connect, sync, commands, close. */
export class GuestAgentSession {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended = false;

  private commandTimeoutMs = 10_000;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
  }

  /** Connects to the channel and syncs with the guest agent; rejects with GuestAgentError('unavailable') if none answers. */
  static async open(socketPath: string, opts: GuestAgentOptions = {}): Promise<GuestAgentSession> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.createConnection({ path: socketPath }, () => resolve(s));
      s.once('error', (error) => reject(new GuestAgentError('unavailable', `no guest agent channel at ${socketPath}: ${error.message}`)));
    });
    const session = new GuestAgentSession(socket);
    try {
      await session.sync(opts.syncTimeoutMs ?? 2000);
    } catch (error) {
      session.close();
      throw error;
    }
    session.commandTimeoutMs = opts.commandTimeoutMs ?? 10_000;
    return session;
  }

  /** Runs a QGA command and resolves with its `return`. */
  async execute<T = unknown>(command: string, args?: Record<string, unknown>, timeoutMs = this.commandTimeoutMs): Promise<T> {
    this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    const reply = await this.readMessage(timeoutMs, command);
    if ('error' in reply) {
      const error = reply.error as { class?: string; desc?: string };
      throw new GuestAgentError('command-failed', `guest agent ${command} failed: ${error.desc ?? 'unknown error'}`, error.class);
    }
    return reply.return as T;
  }

  /**
   * Sends a command that answers nothing on success (guest-shutdown): resolves once `graceMs` passed without an error
   * reply (or the channel closed because the guest went down).
   */
  async executeNoReply(command: string, args: Record<string, unknown>, graceMs = 1000): Promise<void> {
    this.socket.write(`${JSON.stringify({ execute: command, arguments: args })}\n`);
    try {
      const reply = await this.readMessage(graceMs, command);
      if ('error' in reply) {
        const error = reply.error as { class?: string; desc?: string };
        throw new GuestAgentError('command-failed', `guest agent ${command} failed: ${error.desc ?? 'unknown error'}`, error.class);
      }
    } catch (error) {
      if (error instanceof GuestAgentError && (error.reason === 'timeout' || error.reason === 'closed')) return;
      throw error;
    }
  }

  /** Ends the session (the guest agent keeps running). */
  close(): void {
    this.ended = true;
    this.socket.destroy();
  }

  // guest-sync-delimited: the reply comes after a 0xFF byte; everything before it is stale and dropped.
  private async sync(timeoutMs: number): Promise<void> {
    const id = Math.floor(Math.random() * 2 ** 31);
    this.socket.write(Buffer.concat([Buffer.from([SYNC_DELIMITER]), Buffer.from(`${JSON.stringify({ execute: 'guest-sync-delimited', arguments: { id } })}\n`)]));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.buffer.indexOf(SYNC_DELIMITER);
      if (at >= 0) {
        this.buffer = this.buffer.subarray(at + 1);
        const reply = await this.readMessage(Math.max(1, deadline - Date.now()), 'guest-sync-delimited').catch((error: unknown) => {
          throw error instanceof GuestAgentError && error.reason === 'timeout' ? unavailable(timeoutMs) : error;
        });
        if (reply.return === id) return;
        continue; // a delimiter of an older sync: keep looking
      }
      if (this.ended) throw new GuestAgentError('unavailable', 'the guest agent channel closed');
      if (Date.now() >= deadline) throw unavailable(timeoutMs);
      await this.wait(deadline - Date.now());
    }
  }

  private async readMessage(timeoutMs: number, what: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline >= 0) {
        const line = Buffer.from(this.buffer.subarray(0, newline).filter((b) => b !== SYNC_DELIMITER)).toString('utf8').trim();
        this.buffer = this.buffer.subarray(newline + 1);
        if (!line) continue;
        try {
          const message = JSON.parse(line) as Record<string, unknown>;
          if ('return' in message || 'error' in message) return message;
        } catch {
          // garbage from a guest writing to the port: skip the line
        }
        continue;
      }
      if (this.ended) throw new GuestAgentError('closed', `the guest agent channel closed during ${what}`);
      if (Date.now() >= deadline) throw new GuestAgentError('timeout', `guest agent ${what} timed out after ${timeoutMs} ms`);
      await this.wait(deadline - Date.now());
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiter = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
    });
  }
}

function unavailable(timeoutMs: number): GuestAgentError {
  return new GuestAgentError('unavailable', `no guest agent answered within ${timeoutMs} ms`);
}

/**
 * Whether the guest has opened its end of the guest agent channel, from QMP `query-chardev` (`frontend-open` of
 * chardev `qga0`): a cheap check that avoids waiting for a sync timeout when no guest agent runs.
 */
export async function guestAgentChannelOpen(qmp: QmpExecutor, chardevId = 'qga0'): Promise<boolean> {
  const chardevs = await qmp.execute<Array<{ label: string; 'frontend-open': boolean }>>('query-chardev');
  return chardevs.find((c) => c.label === chardevId)?.['frontend-open'] ?? false;
}

/** Runs `fn` in a session; resolves undefined when no guest agent is there (checked through `qmp` first when given). */
export async function withGuestAgent<T>(
  socketPath: string,
  fn: (session: GuestAgentSession) => Promise<T>,
  opts: GuestAgentOptions & { qmp?: QmpExecutor } = {},
): Promise<T | undefined> {
  if (opts.qmp && !(await guestAgentChannelOpen(opts.qmp).catch(() => true))) return undefined;
  let session: GuestAgentSession;
  try {
    session = await GuestAgentSession.open(socketPath, opts);
  } catch (error) {
    if (error instanceof GuestAgentError && error.reason === 'unavailable') return undefined;
    throw error;
  }
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}


/** IP addresses and OS of the guest, or undefined when no guest agent runs (never throws for that). */
export async function queryGuestInfo(socketPath: string, opts: GuestAgentOptions & { qmp?: QmpExecutor } = {}): Promise<GuestInfo | undefined> {
  return withGuestAgent(socketPath, async (session) => {
    await session.execute('guest-ping');
    const interfaces = await session.execute<GuestNetworkInterface[]>('guest-network-get-interfaces').catch(() => []);
    const os = await session.execute<GuestOsInfo>('guest-get-osinfo').catch(() => undefined);
    return { ipAddresses: guestAddresses(interfaces), os: os?.['pretty-name'] ?? os?.name };
  }, opts);
}

/** Addresses of a guest-network-get-interfaces answer, without loopback, IPv6 link-local and malformed ones. */
export function guestAddresses(interfaces: GuestNetworkInterface[]): string[] {
  return interfaces
    .filter((i) => i.name !== 'lo')
    .flatMap((i) => i['ip-addresses'] ?? [])
    .map((a) => a['ip-address'])
    .filter((ip) => net.isIP(ip) !== 0 && !ip.startsWith('127.') && ip !== '::1' && !ip.toLowerCase().startsWith('fe80:'));
}

/**
 * Asks the guest agent to power the guest down or reboot it (`guest-shutdown`). Resolves true when the guest agent
 * took the request, false when there is no guest agent (the caller then presses the ACPI button or resets).
 */
export async function guestShutdown(socketPath: string, mode: 'powerdown' | 'reboot' | 'halt', opts: GuestAgentOptions & { qmp?: QmpExecutor } = {}): Promise<boolean> {
  const done = await withGuestAgent(socketPath, async (session) => {
    await session.executeNoReply('guest-shutdown', { mode });
    return true;
  }, opts);
  return done ?? false;
}
