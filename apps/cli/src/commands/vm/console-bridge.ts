import { WebSocket } from 'ws';
import { CliError } from '../../exit-codes';
import type { CliIo } from '../../io';

/** Ctrl-] (0x1d), the telnet escape: ends the console session instead of reaching the guest. */
export const ESCAPE_BYTE = 0x1d;

/** How a console session ended. */
export interface ConsoleEnd {
  /** WebSocket close code (1000 for a normal close, 4xxx for the server's refusals). */
  code: number;
  reason: string;
  /** Ended on our side: Ctrl-] or the end of a piped stdin. */
  byClient: boolean;
}

/** Options of a console bridge. */
export interface BridgeOptions {
  /** After a piped stdin ends, close once the VM has been quiet this long (ms), so its answer to the input is shown. */
  idleAfterEofMs?: number;
  /** ...but no later than this after the end of stdin (ms). */
  maxAfterEofMs?: number;
}

/**
 * Bridges the terminal to a console WebSocket: stdin bytes go to the guest as binary frames (in raw mode on a TTY, so
 * Ctrl-C, arrows and tabs reach the guest), guest bytes go to stdout untouched. Ends on Ctrl-], on the end of a piped
 * stdin (after the guest went quiet) or when the server closes the socket. The terminal mode is always restored.
 */
export function bridgeConsole(url: string, io: CliIo, opts: BridgeOptions = {}): Promise<ConsoleEnd> {
  const idle = opts.idleAfterEofMs ?? 500;
  const max = opts.maxAfterEofMs ?? 10_000;
  const { stdin, stdout } = io;
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let opened = false;
    let byClient = false;
    let lastData = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const closeByClient = () => {
      byClient = true;
      ws.close(1000, 'client closed');
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const esc = bytes.indexOf(ESCAPE_BYTE);
      const send = esc < 0 ? bytes : bytes.subarray(0, esc);
      if (send.length && ws.readyState === WebSocket.OPEN) ws.send(send, { binary: true });
      if (esc >= 0) closeByClient();
    };
    const onEnd = () => {
      const ended = Date.now();
      const check = () => {
        const now = Date.now();
        if (now - lastData >= idle || now - ended >= max) return closeByClient();
        timer = setTimeout(check, Math.min(idle, 100));
      };
      timer = setTimeout(check, idle);
    };
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (raw) stdin.setRawMode!(false);
      stdin.pause();
    };
    ws.on('open', () => {
      opened = true;
      if (raw) stdin.setRawMode!(true);
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      lastData = Date.now();
      stdout.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer));
    });
    ws.on('close', (code, reason) => {
      cleanup();
      resolve({ code, reason: reason.toString(), byClient });
    });
    ws.on('error', (err) => {
      if (opened) return; // 'close' follows and settles the promise
      cleanup();
      reject(err);
    });
  });
}

/** The error a console close code means, or undefined for a normal end (see the close codes in docs/vms.md). */
export function consoleFailure(end: ConsoleEnd): CliError | undefined {
  if (end.byClient || end.code === 1000 || end.code === 1005) return undefined;
  const reason = end.reason || `closed with code ${end.code}`;
  switch (end.code) {
    case 4400:
      return new CliError('BAD_REQUEST', `console refused: ${reason}`);
    case 4401:
      return new CliError('INVALID_TOKEN', `console ticket refused: ${reason}`);
    case 4409:
      return new CliError('INVALID_STATE', `no console: ${reason}`);
    case 4502:
      return new CliError('NODE_UNREACHABLE', `the node could not open the console: ${reason}`);
    default:
      return new CliError('CONSOLE_CLOSED', `console closed (${end.code}): ${reason}`);
  }
}
