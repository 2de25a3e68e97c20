import { join } from 'node:path';
import { AgentError } from '../lib/agent-error';
import type { ConsoleStream } from './console-stream';
import { readSerialLogRing, SERIAL_RING_BYTES } from './serial-log-ring';
import { SerialHub } from './serial-stream';
import { openVncStream } from './vnc-stream';

/** Console messages the agent sends to the control plane (agent protocol `console.data` / `console.closed`). */
export type ConsoleOutMessage =
  | { type: 'console.data'; streamId: string; data: string }
  | { type: 'console.closed'; streamId: string; reason?: string };

/** Where a VM's console sockets are (from `vmRunPaths`). */
export interface ConsolePaths {
  /** The VM's run directory (the serial ring lives there as `serial.ring`). */
  dir: string;
  serialSocket: string;
  vncSocket: string;
}

/** What the console sessions need from the agent. */
export interface ConsoleSessionsOptions {
  /** Sends a message on the agent link. */
  send(message: ConsoleOutMessage): void;
  /** Bytes queued on the agent link (WebSocket `bufferedAmount`); VNC streams pause above `highWaterBytes`. */
  bufferedBytes?(): number;
  paths(vmId: string): ConsolePaths;
  highWaterBytes?: number;
  ringBytes?: number;
  /** Called once a stream has ended, whoever ended it (e.g. to stop routing its input). */
  onStreamClosed?(streamId: string): void;
}

/** File name of the serial ring log in a VM's run directory. */
export const SERIAL_RING_FILE = 'serial.ring';

/** Largest raw chunk per `console.data` message (the protocol caps the base64 text at 4 MiB). */
const MAX_CHUNK = 1024 * 1024;

/**
 * The agent's console streams, by stream id: `console.open` / `console.data` (input) / `console.close` from the control
 * plane become serial hub viewers or VNC relays, and VM output goes back as `console.data` (base64). One serial hub per
 * running VM is shared by all its serial streams and keeps the VM's serial ring log.
 */
export class ConsoleSessions {
  private readonly streams = new Map<string, { vmId: string; stream: ConsoleStream }>();
  private readonly hubs = new Map<string, Promise<SerialHub>>();
  private flowTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: ConsoleSessionsOptions) {}

  /**
   * Starts the VM's serial hub now, so the ring log records from boot (call when a VM starts or is adopted). Until a
   * hub exists nobody holds QEMU's serial socket.
   */
  async startSerial(vmId: string): Promise<SerialHub> {
    const existing = this.hubs.get(vmId);
    if (existing) {
      const hub = await existing.catch(() => undefined);
      if (hub?.isOpen) return hub;
    }
    const paths = this.o.paths(vmId);
    const opening = SerialHub.open({ socketPath: paths.serialSocket, ringPath: join(paths.dir, SERIAL_RING_FILE), ringBytes: this.o.ringBytes });
    this.hubs.set(vmId, opening);
    try {
      const hub = await opening;
      void hub.closed.then(() => {
        if (this.hubs.get(vmId) === opening) this.hubs.delete(vmId);
      });
      return hub;
    } catch (error) {
      this.hubs.delete(vmId);
      throw new AgentError('INVALID_STATE', `VM ${vmId} has no serial console (not running?): ${(error as Error).message}`, { cause: error });
    }
  }

  /** `console.open`: connects the stream; VM output flows as `console.data` until either side closes. */
  async open(streamId: string, vmId: string, type: 'serial' | 'vnc'): Promise<void> {
    if (this.streams.has(streamId)) throw new AgentError('IN_USE', `console stream ${streamId} is already open`);
    const sink = {
      onData: (data: Buffer) => {
        for (let i = 0; i < data.length; i += MAX_CHUNK) {
          this.o.send({ type: 'console.data', streamId, data: data.subarray(i, i + MAX_CHUNK).toString('base64') });
        }
        this.checkFlow();
      },
      onClose: (reason: string) => {
        if (this.streams.get(streamId)?.stream !== stream) return;
        this.streams.delete(streamId);
        this.o.send({ type: 'console.closed', streamId, reason });
        this.o.onStreamClosed?.(streamId);
      },
    };
    let stream: ConsoleStream | undefined;
    if (type === 'serial') {
      stream = (await this.startSerial(vmId)).attach(sink); // replays recent output into `sink` at once
    } else {
      stream = await openVncStream(this.o.paths(vmId).vncSocket, sink).catch((error: unknown) => {
        throw new AgentError('INVALID_STATE', `VM ${vmId} has no VNC console (not running?): ${(error as Error).message}`, { cause: error });
      });
    }
    this.streams.set(streamId, { vmId, stream });
  }

  /** `console.data` from the control plane: the viewer's keystrokes / VNC client messages (base64). */
  input(streamId: string, base64: string): void {
    this.write(streamId, Buffer.from(base64, 'base64'));
  }

  /** Like `input`, with the bytes already decoded. */
  write(streamId: string, bytes: Buffer): void {
    const entry = this.streams.get(streamId);
    if (!entry) throw new AgentError('NOT_FOUND', `console stream ${streamId} is not open`);
    entry.stream.write(bytes);
  }

  /** `console.close`: ends one stream (absent is fine). */
  close(streamId: string, reason = 'closed by the control plane'): void {
    const entry = this.streams.get(streamId);
    entry?.stream.close(reason); // its sink reports console.closed and forgets it
    this.streams.delete(streamId);
  }

  /** The VM stopped or is being purged: ends its streams and its serial hub. */
  async closeVm(vmId: string, reason = 'the VM stopped'): Promise<void> {
    for (const [streamId, entry] of [...this.streams]) if (entry.vmId === vmId) this.close(streamId, reason);
    const hub = await this.hubs.get(vmId)?.catch(() => undefined);
    this.hubs.delete(vmId);
    await hub?.close(reason);
  }

  /** The last `maxBytes` of the VM's serial ring log (`vm.serial.read`). */
  readSerialLog(vmId: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }> {
    return readSerialLogRing(join(this.o.paths(vmId).dir, SERIAL_RING_FILE), Math.min(maxBytes, this.o.ringBytes ?? SERIAL_RING_BYTES));
  }

  /** Ends every stream and hub (agent shutdown; the VMs keep running). */
  async closeAll(): Promise<void> {
    clearInterval(this.flowTimer);
    for (const streamId of [...this.streams.keys()]) this.close(streamId, 'the agent is shutting down');
    const hubs = await Promise.all([...this.hubs.values()].map((h) => h.catch(() => undefined)));
    this.hubs.clear();
    await Promise.all(hubs.map((hub) => hub?.close('the agent is shutting down')));
  }

  /** Open stream ids (diagnostics and tests). */
  openStreams(): string[] {
    return [...this.streams.keys()];
  }

  // While the agent link is backed up, VM → viewer streams pause (QEMU then buffers or drops frames, not the agent).
  private checkFlow(): void {
    const buffered = this.o.bufferedBytes?.();
    if (buffered === undefined || buffered < (this.o.highWaterBytes ?? 8 * 1024 * 1024) || this.flowTimer) return;
    for (const { stream } of this.streams.values()) stream.pause();
    this.flowTimer = setInterval(() => {
      if ((this.o.bufferedBytes?.() ?? 0) > (this.o.highWaterBytes ?? 8 * 1024 * 1024) / 4) return;
      clearInterval(this.flowTimer);
      this.flowTimer = undefined;
      for (const { stream } of this.streams.values()) stream.resume();
    }, 20);
    this.flowTimer.unref();
  }
}
