import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root (benches run the server from it, as `npm start` does). */
export const repoRoot = new URL('../../', import.meta.url).pathname;

/** A NovaCron server running as its own process, as in production: the load generator must not share its event loop. */
export interface ServerProcess {
  url: string;
  dataDir: string;
  /** CPU time (user + system) the server process has used so far, in ms; undefined where /proc is missing. */
  cpuMs(): number | undefined;
  /** Stops the server (SIGINT, as Ctrl-C) and removes its data directory. */
  stop(): Promise<void>;
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU ms used by a process (Linux /proc), so figures per request hold even on a busy machine. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `apps/server/src/main.ts` on a free loopback port with a fresh data dir; resolves once /api/v1/health answers. */
export async function startServerProcess(opts: { env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'novacron-bench-'));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      NOVACRON_HOST: '127.0.0.1',
      NOVACRON_PORT: String(port),
      NOVACRON_DATA_DIR: dataDir,
      NOVACRON_EMBEDDED_AGENT: 'false',
      ...opts.env,
    },
    // Logs go to /dev/null: they are still produced (and cost what they cost), but a full pipe cannot stall the server.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 200))]);
    if (early !== 'running') throw new Error(`server exited with ${String(early)} during start:\n${stderr}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer within 60 s:\n${stderr}`);
    }
  }
  return {
    url,
    dataDir,
    cpuMs: () => processCpuMs(child.pid!),
    stop: async () => {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
