import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsoleSink, ConsoleStream } from './console-stream';
import { SERIAL_RING_BYTES, SerialLogRing } from './serial-log-ring';

/** Options of a serial hub. */
export interface SerialHubOptions {
  /** QEMU's serial chardev socket (`VmRunPaths.serialSocket`). */
  socketPath: string;
  /** Keep a bounded log of everything the guest prints in this ring file. */
  ringPath?: string;
  ringBytes?: number;
  /** How much recent output a new viewer gets first, so a terminal opened late shows the prompt (default 16 KiB). */
  replayBytes?: number;
  /** While QEMU creates its socket, retry connecting for this long (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * The one connection to a VM's serial port, shared by every viewer. QEMU's socket chardev serves a single client at a
 * time, so xterm.js viewers, the CLI console and the serial log all go through this hub: output fans out to every
 * viewer (and into the ring log), input from any viewer goes to the guest.
 */
export class SerialHub {
  /** Resolves with the reason once the hub ended (QEMU closed the socket, or `close`). */
  readonly closed: Promise<string>;
  private readonly viewers = new Set<SerialViewer>();
  private recent = Buffer.alloc(0);
  private ended: string | undefined;
  private markClosed!: (reason: string) => void;

  private constructor(
    private readonly socket: net.Socket,
    private readonly ring: SerialLogRing | undefined,
    private readonly replayBytes: number,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    socket.unref(); // a console left open must not keep the agent's process alive
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.end('the VM serial port closed'));
  }

  /** Connects to the serial socket (retrying while QEMU starts) and opens the ring log. */
  static async open(o: SerialHubOptions): Promise<SerialHub> {
    const ring = o.ringPath ? await SerialLogRing.open(o.ringPath, o.ringBytes ?? SERIAL_RING_BYTES) : undefined;
    try {
      const socket = await connectUnix(o.socketPath, o.connectTimeoutMs ?? 10_000);
      return new SerialHub(socket, ring, o.replayBytes ?? 16 * 1024);
    } catch (error) {
      await ring?.close();
      throw error;
    }
  }

  /** Whether the hub still talks to QEMU. */
  get isOpen(): boolean {
    return this.ended === undefined;
  }

  /** Number of attached viewers. */
  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Adds a viewer: it first gets the recent output (unless `replay` is false), then everything live. */
  attach(sink: ConsoleSink, opts: { replay?: boolean } = {}): ConsoleStream {
    const viewer = new SerialViewer(this, sink);
    if (this.ended !== undefined) {
      queueMicrotask(() => viewer.close(this.ended));
      return viewer;
    }
    this.viewers.add(viewer);
    if ((opts.replay ?? true) && this.recent.length) sink.onData(Buffer.from(this.recent));
    return viewer;
  }

  /** Ends the hub and every viewer; the guest keeps running. */
  async close(reason = 'console closed'): Promise<void> {
    this.end(reason);
    this.socket.destroy();
    await this.closed;
  }

  /** @internal keystrokes of a viewer */
  input(data: Buffer): void {
    if (this.ended === undefined) this.socket.write(data);
  }

  /** @internal */
  detach(viewer: SerialViewer): void {
    this.viewers.delete(viewer);
    if (this.viewers.size === 0) this.socket.resume(); // nobody to wait for
  }

  /** @internal flow control: the socket pauses while any viewer asked to. */
  updateFlow(): void {
    if ([...this.viewers].some((v) => v.paused)) this.socket.pause();
    else this.socket.resume();
  }

  private onData(chunk: Buffer): void {
    this.recent = Buffer.concat([this.recent, chunk]);
    if (this.recent.length > this.replayBytes) this.recent = this.recent.subarray(this.recent.length - this.replayBytes);
    void this.ring?.append(chunk).catch(() => undefined); // a full disk must not break the console
    for (const viewer of [...this.viewers]) viewer.deliver(chunk);
  }

  private end(reason: string): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    for (const viewer of [...this.viewers]) viewer.close(reason);
    void (this.ring?.close() ?? Promise.resolve()).catch(() => undefined).then(() => this.markClosed(reason));
  }
}

/** One viewer of a serial hub. */
class SerialViewer implements ConsoleStream {
  readonly type = 'serial' as const;
  paused = false;
  private done = false;

  constructor(
    private readonly hub: SerialHub,
    private readonly sink: ConsoleSink,
  ) {}

  write(data: Buffer): void {
    if (!this.done) this.hub.input(data);
  }

  pause(): void {
    this.paused = true;
    this.hub.updateFlow();
  }

  resume(): void {
    this.paused = false;
    this.hub.updateFlow();
  }

  close(reason = 'closed'): void {
    if (this.done) return;
    this.done = true;
    this.paused = false;
    this.hub.detach(this);
    this.hub.updateFlow();
    this.sink.onClose(reason);
  }

  deliver(chunk: Buffer): void {
    if (!this.done) this.sink.onData(chunk);
  }
}

/** Connects to a unix socket, retrying ENOENT/ECONNREFUSED (QEMU not listening yet) until `timeoutMs`. */
export async function connectUnix(path: string, timeoutMs: number): Promise<net.Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const socket = net.createConnection({ path });
        socket.once('connect', () => {
          socket.removeAllListeners('error');
          resolve(socket);
        });
        socket.once('error', (error) => {
          socket.destroy();
          reject(error);
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() >= deadline) throw error;
      await sleep(50);
    }
  }
}
