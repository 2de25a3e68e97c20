// TEST HELPER: the real `novacron` binary in a child process, against a test server running in the test's own process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const bin = new URL('../../bin/novacron.mjs', import.meta.url).pathname;

/** What one run of the CLI did. */
export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Where and as whom the CLI runs: its home (config dir inside), the server, a token, stdin and extra environment. */
export interface CliRunOptions {
  home: string;
  url: string;
  token?: string;
  stdin?: string;
  env?: Record<string, string>;
}

/** Runs `novacron <args>`; spawn (not spawnSync), so the in-process server keeps answering while the CLI runs. */
export function runCli(args: string[], o: CliRunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        PATH: process.env.PATH ?? '', HOME: o.home, XDG_CONFIG_HOME: join(o.home, 'config'), NOVACRON_URL: o.url,
        ...(o.token ? { NOVACRON_TOKEN: o.token } : {}), ...o.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(o.stdin ?? '');
  });
}

/** Runs `novacron <args> -o json`, asserts it exited 0 and parses what it printed. */
export async function runCliJson(args: string[], o: CliRunOptions): Promise<any> {
  const r = await runCli([...args, '-o', 'json'], o);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
  return JSON.parse(r.out);
}
