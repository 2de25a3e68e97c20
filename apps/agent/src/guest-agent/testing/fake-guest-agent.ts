// TEST-ONLY fake of qemu-guest-agent's host side: a unix socket server speaking QGA like a guest agent behind QEMU's
// virtio-serial chardev would. The tiny test guest has no guest agent, so the client's protocol handling (sync
// delimiter, stale replies, errors, commands without a reply) is unit-tested against this. Never used outside tests.
import { rm } from 'node:fs/promises';
import net from 'node:net';

/** How the fake behaves. */
export interface FakeGuestAgentOptions {
  /** `silent`: never answers anything (QEMU's socket with no guest agent inside). Default `normal`. */
  mode?: 'normal' | 'silent';
  /** Sends this stale reply line before the sync answer (left over from an earlier timed-out session). */
  staleReply?: string;
  /** Commands answered with `{"error": {"class":"GenericError","desc":...}}`. */
  failing?: string[];
}

/** Canned guest-network-get-interfaces answer. */
export const FAKE_INTERFACES = [
  { name: 'lo', 'hardware-address': '00:00:00:00:00:00', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 }, { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 }] },
  { name: 'eth0', 'hardware-address': '52:54:00:12:34:56', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '10.0.2.15', prefix: 24 }, { 'ip-address-type': 'ipv6', 'ip-address': 'fe80::5054:ff:fe12:3456', prefix: 64 }, { 'ip-address-type': 'ipv6', 'ip-address': 'fec0::5054:ff:fe12:3456', prefix: 64 }] },
];

/** Canned guest-get-osinfo answer. */
export const FAKE_OSINFO = { id: 'debian', name: 'Debian GNU/Linux', 'pretty-name': 'Debian GNU/Linux 12 (bookworm)', version: '12 (bookworm)', 'version-id': '12', 'kernel-release': '6.1.0-57-cloud-amd64', machine: 'x86_64' };

/** A fake guest agent listening on a unix socket. */
export class FakeGuestAgent {
  /** Every command received, in order. */
  readonly received: Array<{ execute: string; arguments?: Record<string, unknown> }> = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly path: string,
  ) {}

  /** Starts listening on `path`. */
  static async start(path: string, opts: FakeGuestAgentOptions = {}): Promise<FakeGuestAgent> {
    const server = net.createServer();
    const fake = new FakeGuestAgent(server, path);
    server.on('connection', (socket) => fake.serve(socket, opts));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    return fake;
  }

  /** Stops listening and drops connections. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.path, { force: true });
  }

  private serve(socket: net.Socket, opts: FakeGuestAgentOptions): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk.replaceAll('\xff', ''); // the client's sync delimiter resets the parser; QGA ignores it
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) this.answer(socket, JSON.parse(line) as { execute: string; arguments?: Record<string, unknown> }, opts);
      }
    });
  }

  private answer(socket: net.Socket, request: { execute: string; arguments?: Record<string, unknown> }, opts: FakeGuestAgentOptions): void {
    this.received.push(request);
    if (opts.mode === 'silent') return;
    const reply = (value: unknown) => socket.write(`${JSON.stringify({ return: value })}\n`);
    if (opts.failing?.includes(request.execute)) {
      socket.write(`${JSON.stringify({ error: { class: 'GenericError', desc: `${request.execute} is disabled` } })}\n`);
      return;
    }
    switch (request.execute) {
      case 'guest-sync-delimited':
        if (opts.staleReply) socket.write(`${opts.staleReply}\n`);
        socket.write(Buffer.concat([Buffer.from([0xff]), Buffer.from(`${JSON.stringify({ return: request.arguments?.id })}\n`)]));
        return;
      case 'guest-ping':
        return void reply({});
      case 'guest-network-get-interfaces':
        return void reply(FAKE_INTERFACES);
      case 'guest-get-osinfo':
        return void reply(FAKE_OSINFO);
      case 'guest-shutdown':
        return; // success is silence: the guest goes down
      default:
        socket.write(`${JSON.stringify({ error: { class: 'CommandNotFound', desc: `The command ${request.execute} has not been found` } })}\n`);
    }
  }
}
