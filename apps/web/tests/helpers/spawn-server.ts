// Starts a real NovaCron control plane (apps/server/src/main.ts) in a child process on loopback, with a temp data dir
// and SQLite, and no embedded agent. Used by the Playwright webServer and by tests that need a fresh instance.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** A running server. */
export interface SpawnedServer {
  url: string;
  port: number;
  dataDir: string;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** The setup token it printed, when it started without an admin. */
  setupToken(): string | null;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The token line of the first-start banner (a long URL-safe string on a line of its own). */
export function parseSetupToken(stdout: string): string | null {
  const at = stdout.indexOf('setup token');
  if (at < 0) return null;
  const m = /^\s+([A-Za-z0-9_-]{16,200})\s*$/m.exec(stdout.slice(at));
  return m ? m[1] : null;
}

/** Starts a server and waits until /api/v1/health answers. */
export async function spawnServer(opts: { port?: number; dataDir?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<SpawnedServer> {
  if (!existsSync(join(root, 'apps/web/dist/index.html'))) throw new Error('apps/web/dist is missing: run `npm run build -w @novacron/web` first');
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'novacron-e2e-'));
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NOVACRON_HOST: '127.0.0.1',
      NOVACRON_PORT: String(port),
      NOVACRON_DATA_DIR: dataDir,
      NOVACRON_EMBEDDED_AGENT: 'false',
      NOVACRON_LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}\n${err}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer within the timeout:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    dataDir,
    stdout: () => out,
    setupToken: () => parseSetupToken(out),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
