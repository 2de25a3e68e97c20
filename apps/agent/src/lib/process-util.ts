import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Whether `pid` runs and is not a zombie. A daemonized QEMU is reparented to init (or a subreaper), which may reap it
 * late, so a zombie counts as gone.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls until `pid` is gone; false on timeout or abort. */
export async function waitForProcessExit(pid: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!processAlive(pid)) return true;
    if (Date.now() >= deadline || signal?.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The NUL-separated argv of `pid` from /proc, or undefined when it is gone. */
export async function processArgv(pid: number): Promise<string[] | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return raw ? raw.split('\0').filter((part, i, all) => part !== '' || i < all.length - 1) : undefined;
}

/** Reads a pidfile; undefined when absent or garbage. */
export async function readPidfile(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const pid = text ? Number.parseInt(text.trim(), 10) : Number.NaN;
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}
