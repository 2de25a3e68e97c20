// TEST HELPER: reads a guest's serial port from QEMU's unix-socket chardev and waits for markers.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Collects everything a serial socket prints; `waitFor` consumes it in order. */
export class SerialConsoleReader {
  /** Everything received so far. */
  text = '';
  private cursor = 0;
  private notify: (() => void) | undefined;
  private ended = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
      this.notify?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.ended = true;
      this.notify?.();
    });
  }

  /** Connects to the serial socket, retrying while QEMU creates it. */
  static async connect(path: string, timeoutMs = 10_000): Promise<SerialConsoleReader> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection({ path }, () => resolve(s));
          s.once('error', reject);
        });
        return new SerialConsoleReader(socket);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
  }

  /**
   * Resolves with the first match of `pattern` in complete lines after the previous match (a
   * marker may arrive split over two reads); rejects on timeout or when the console closes.
   */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const complete = this.ended ? this.text.length : this.text.lastIndexOf('\n') + 1;
      const match = this.text.slice(this.cursor, Math.max(this.cursor, complete)).match(pattern);
      if (match && match.index !== undefined) {
        this.cursor += match.index + match[0].length;
        return match;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) {
        throw new Error(`serial: ${pattern} not seen (${this.ended ? 'console closed' : `${timeoutMs} ms`}); tail:\n${this.text.slice(-800)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.notify = () => (clearTimeout(timer), resolve());
      });
      this.notify = undefined;
    }
  }

  /** Types a line into the guest's serial console. */
  writeLine(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /** Closes the connection (the guest keeps running). */
  close(): void {
    this.socket.destroy();
  }
}
