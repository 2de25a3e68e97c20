// TEST FAKE: a scriptable stand-in for QEMU's QMP monitor on a unix socket. Never used in production.
import { rm } from 'node:fs/promises';
import net from 'node:net';

/** A command as the fake received it. */
export interface FakeQmpCommand {
  execute: string;
  arguments?: Record<string, unknown>;
  id?: unknown;
}

/** What a handler can do with one client connection. */
export interface FakeQmpConnection {
  /** Sends `{"return": value, "id": ...}` for `command`. */
  reply(command: FakeQmpCommand, value?: unknown): void;
  /** Sends `{"error": {class, desc}, "id": ...}` for `command`. */
  fail(command: FakeQmpCommand, errorClass: string, desc: string): void;
  /** Sends an event with a current timestamp. */
  event(name: string, data?: Record<string, unknown>): void;
  /** Writes one raw line (for malformed-input tests). */
  raw(line: string): void;
  /** Closes the connection from the server side. */
  close(): void;
}

/** Handles a command after negotiation; reply (now or later) through `connection`. */
export type FakeQmpHandler = (command: FakeQmpCommand, connection: FakeQmpConnection) => void;

/** Options of the fake server. */
export interface FakeQmpServerOptions {
  /** Handler for commands other than `qmp_capabilities`; default replies `{}` to everything. */
  handler?: FakeQmpHandler;
  /** Set false to never send the greeting (greeting timeout tests). */
  greet?: boolean;
}

/** Greeting the fake sends, shaped like QEMU 7.2's. */
export const FAKE_QMP_GREETING = {
  QMP: { version: { qemu: { major: 7, minor: 2, micro: 22 }, package: 'fake-qmp-server' }, capabilities: ['oob'] },
};

/** TEST FAKE QMP server: greets, negotiates capabilities, records every command, delegates the rest. */
export class FakeQmpServer {
  /** Every command received, in order, including `qmp_capabilities`. */
  readonly received: FakeQmpCommand[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    /** The unix socket path clients connect to. */
    readonly path: string,
  ) {}

  /** Starts listening on `path` (a stale file there is removed first). */
  static async start(path: string, options: FakeQmpServerOptions = {}): Promise<FakeQmpServer> {
    await rm(path, { force: true });
    let fake: FakeQmpServer | undefined;
    const server = net.createServer((socket) => fake?.accept(socket, options));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    fake = new FakeQmpServer(server, path);
    return fake;
  }

  /** Closes all connections and stops listening. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.path, { force: true });
  }

  private accept(socket: net.Socket, options: FakeQmpServerOptions): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const send = (message: unknown): void => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\r\n`);
    };
    const connection: FakeQmpConnection = {
      reply: (command, value = {}) => send({ return: value, ...idOf(command) }),
      fail: (command, errorClass, desc) => send({ error: { class: errorClass, desc }, ...idOf(command) }),
      event: (name, data) => send({ timestamp: nowTimestamp(), event: name, ...(data ? { data } : {}) }),
      raw: (line) => !socket.destroyed && socket.write(`${line}\r\n`),
      close: () => socket.destroy(),
    };
    const handler = options.handler ?? ((command, conn) => conn.reply(command));
    let negotiated = false;
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        const command = JSON.parse(line) as FakeQmpCommand;
        this.received.push(command);
        if (command.execute === 'qmp_capabilities' && !negotiated) {
          negotiated = true;
          connection.reply(command);
        } else if (!negotiated) {
          connection.fail(command, 'CommandNotFound', 'Expecting capabilities negotiation with \'qmp_capabilities\'');
        } else {
          handler(command, connection);
        }
      }
    });
    if (options.greet !== false) send(FAKE_QMP_GREETING);
  }
}

function idOf(command: FakeQmpCommand): { id?: unknown } {
  return command.id === undefined ? {} : { id: command.id };
}

function nowTimestamp(): { seconds: number; microseconds: number } {
  const micros = Date.now() * 1000;
  return { seconds: Math.floor(micros / 1e6), microseconds: micros % 1e6 };
}
