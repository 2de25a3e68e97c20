import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `novacron login` stores: the server and the token pair of one session. */
export interface Credentials {
  server: string;
  accessToken: string;
  refreshToken: string;
  /** Who logged in, for `logout` messages; informative only. */
  email?: string;
}

/** `$XDG_CONFIG_HOME/novacron/credentials.json`, or `~/.config/novacron/credentials.json`. */
export function credentialsPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'novacron', 'credentials.json');
}

/** Reads stored credentials; undefined when there are none or the file is not ours to trust. */
export function readCredentials(path: string): Credentials | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as Partial<Credentials>;
    if (typeof c.server === 'string' && typeof c.accessToken === 'string' && typeof c.refreshToken === 'string') return c as Credentials;
  } catch {
    // a damaged file is the same as none: the user logs in again
  }
  return undefined;
}

/** Writes credentials atomically: directory 0700, file 0600 from its creation (never readable by others, not even briefly). */
export function writeCredentials(path: string, c: Credentials): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by umask and ignored for an existing directory: make sure.
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Removes stored credentials; true when there were some. */
export function deleteCredentials(path: string): boolean {
  try {
    rmSync(path);
    return true;
  } catch {
    return false;
  }
}

const LOCK_STALE_MS = 30_000;

/**
 * Runs `fn` holding an exclusive lock next to the credentials file. Refresh tokens rotate on every use and a reused one
 * revokes the whole session, so two CLI processes must never refresh the same token at once.
 */
export async function withCredentialsLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
      } catch {
        // the holder removed it meanwhile
      }
      if (Date.now() > deadline) throw new Error(`credentials are locked by another novacron process (${lock})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
