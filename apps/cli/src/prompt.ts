import { createInterface, type Interface } from 'node:readline';
import { CliError, UsageError } from './exit-codes';
import type { CliIo } from './io';

/** Exit code when the user interrupts a prompt with Ctrl-C (as a shell reports SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * Asks the user for values: on a terminal with prompts on stderr (secrets not echoed); otherwise reads one line of
 * stdin per value, in order, so `printf '%s\n' "$EMAIL" "$PASSWORD" | novacron login` works.
 */
export class Prompter {
  private lines: AsyncIterator<string> | undefined;
  private rl: Interface | undefined;

  constructor(private readonly io: CliIo) {}

  /** Whether prompts go to a person (stdin is a terminal). */
  get interactive(): boolean {
    return Boolean(this.io.stdin.isTTY);
  }

  /** Reads a visible value. `what` names it in errors when stdin runs out. */
  async line(question: string, what: string): Promise<string> {
    if (!this.interactive) return this.nextLine(what);
    const rl = createInterface({ input: this.io.stdin, output: this.io.stderr, terminal: true });
    try {
      return await new Promise<string>((resolve, reject) => {
        rl.once('SIGINT', () => reject(new CliError('INTERRUPTED', 'interrupted', EXIT_INTERRUPTED)));
        rl.question(question, resolve);
      });
    } finally {
      rl.close();
    }
  }

  /** Reads a secret: not echoed on a terminal. */
  async secret(question: string, what: string): Promise<string> {
    if (!this.interactive || !this.io.stdin.setRawMode) return this.nextLine(what);
    const { stdin, stderr } = this.io;
    stderr.write(question);
    stdin.setRawMode!(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    return new Promise<string>((resolve, reject) => {
      let value = '';
      const finish = () => {
        stdin.off('data', onData);
        stdin.setRawMode!(false);
        stdin.pause();
        stderr.write('\n');
      };
      const onData = (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            finish();
            return resolve(value);
          }
          if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
            finish();
            return reject(new CliError('INTERRUPTED', 'interrupted', EXIT_INTERRUPTED));
          }
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
          else if (ch >= ' ') value += ch;
        }
      };
      stdin.on('data', onData);
    });
  }

  /** Reads the next line of (non-terminal) stdin; running out is a usage error. */
  async nextLine(what: string): Promise<string> {
    if (!this.lines) {
      this.rl = createInterface({ input: this.io.stdin, crlfDelay: Infinity, terminal: false });
      this.lines = this.rl[Symbol.asyncIterator]();
    }
    const next = await this.lines.next();
    if (next.done) throw new UsageError(`expected ${what} on standard input`);
    return next.value;
  }

  /** Releases stdin so the process can exit. */
  close(): void {
    this.rl?.close();
  }
}
