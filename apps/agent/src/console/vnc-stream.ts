import type net from 'node:net';
import type { ConsoleSink, ConsoleStream } from './console-stream';
import { connectUnix } from './serial-stream';

/**
 * Opens a raw byte relay to a VM's VNC unix socket (`VmRunPaths.vncSocket`) for one viewer. The agent does not speak
 * RFB: the bytes go as they are to noVNC behind the server's WebSocket, which does the handshake (QEMU answers
 * `RFB 003.008`). QEMU's VNC server takes several clients at once, so every viewer gets its own connection.
 */
export async function openVncStream(socketPath: string, sink: ConsoleSink, opts: { connectTimeoutMs?: number } = {}): Promise<ConsoleStream> {
  const socket = await connectUnix(socketPath, opts.connectTimeoutMs ?? 5_000);
  return new VncStream(socket, sink);
}

class VncStream implements ConsoleStream {
  readonly type = 'vnc' as const;
  private done = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly sink: ConsoleSink,
  ) {
    socket.unref(); // a console left open must not keep the agent's process alive
    socket.on('data', (chunk: Buffer) => {
      if (!this.done) sink.onData(chunk);
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.finish('the VM VNC server closed the connection'));
  }

  write(data: Buffer): void {
    if (!this.done) this.socket.write(data);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(reason = 'closed'): void {
    this.finish(reason);
    this.socket.destroy();
  }

  private finish(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.sink.onClose(reason);
  }
}
