// `npm run bench:api`: p50/p99 latency and requests/s of the API under load, on loopback, against a real server process.
//
//   npm run bench:api -- [--duration 10] [--connections 100] [--rows 10000] [--only me,users] [--profile] [--postgres]
//
// Starts the server (SQLite in a temp data dir, or a throwaway PostgreSQL database with --postgres), creates an admin,
// inserts --rows users, then runs autocannon against each scenario after a short warm-up. --profile runs the server
// under --cpu-prof and prints where its CPU time went.
import autocannon, { type Options, type Result } from 'autocannon';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NovaCronClient } from '@novacron/client';
import { createTestDatabase } from '../apps/server/src/testing/test-database';
import { summarizeProfile } from './lib/cpu-profile';
import { seedUsers } from './lib/seed-users';
import { startServerProcess } from './lib/server-process';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    rows: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '2' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
  },
});
const duration = Number(opt.duration);
const connections = Number(opt.connections);
const rows = Number(opt.rows);
const ADMIN = { email: 'bench-admin@bench.novacron.local', password: 'bench admin password 1' };

const database = opt.postgres ? await createTestDatabase('postgres') : undefined;
const profileDir = opt.profile ? mkdtempSync(join(tmpdir(), 'novacron-prof-')) : undefined;
const server = await startServerProcess({
  env: {
    NOVACRON_ADMIN_EMAIL: ADMIN.email,
    NOVACRON_ADMIN_PASSWORD: ADMIN.password,
    NOVACRON_LOG_LEVEL: opt['log-level'] ?? 'info',
    ...(database ? { NOVACRON_DATABASE_URL: database.url } : {}),
  },
  nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
});

try {
  const login = await new NovaCronClient({ baseUrl: server.url }).call('auth.login', { body: ADMIN });
  const token = login.accessToken;
  const client = new NovaCronClient({ baseUrl: server.url, token });
  const t0 = Date.now();
  await seedUsers(database?.url ?? `sqlite:${join(server.dataDir, 'novacron.db')}`, login.user.tenantId, rows);
  console.log(`server ${server.url} (${database ? 'PostgreSQL' : 'SQLite'}, log level ${opt['log-level']}); inserted ${rows} users in ${Date.now() - t0} ms`);

  // Cursors of every page, so the "random page" scenario reads deep in the list like a real pager does.
  const cursors: string[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await client.call('users.list', { query: { limit: 50, cursor } });
    if (!page.nextCursor) break;
    cursors.push(page.nextCursor);
    cursor = page.nextCursor;
  }
  const total = rows + 1;
  if (cursors.length < Math.floor(total / 50) - 1) throw new Error(`users.list paged ${cursors.length} times for ${total} users`);

  const auth = { authorization: `Bearer ${token}` };
  const scenarios: Array<{ name: string; title: string; opts: Partial<Options> }> = [
    { name: 'health', title: 'GET /api/v1/health (no auth, no database; the floor)', opts: { requests: [{ path: '/api/v1/health' }] } },
    { name: 'me', title: 'GET /api/v1/auth/me', opts: { headers: auth, requests: [{ path: '/api/v1/auth/me' }] } },
    { name: 'users', title: `GET /api/v1/users?limit=50 (first page of ${total})`, opts: { headers: auth, requests: [{ path: '/api/v1/users?limit=50' }] } },
    {
      name: 'users-page',
      title: 'GET /api/v1/users?limit=50&cursor=<random page>',
      opts: {
        headers: auth,
        requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/users?limit=50&cursor=${cursors[Math.floor(Math.random() * cursors.length)]}` }) }],
      },
    },
  ];
  const only = opt.only?.split(',');
  const results: Array<{ title: string; r: Result; cpuPerRequest?: number }> = [];
  for (const s of scenarios.filter((x) => !only || only.includes(x.name))) {
    const base = { url: server.url, connections, ...s.opts };
    await autocannon({ ...base, duration: Number(opt.warmup) });
    const cpu0 = server.cpuMs();
    const r = await autocannon({ ...base, duration });
    const cpu1 = server.cpuMs();
    // Server CPU per request does not depend on how busy the machine is: 1000 / it is what one core can serve.
    const cpuPerRequest = cpu0 !== undefined && cpu1 !== undefined && r.requests.total ? (cpu1 - cpu0) / r.requests.total : undefined;
    results.push({ title: s.title, r, cpuPerRequest });
    const bad = r.errors + r.timeouts + r.non2xx;
    console.log(
      `${s.title}\n  ${connections} connections, ${duration} s: ${Math.round(r.requests.average)} req/s, ` +
        `latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (max ${r.latency.max} ms)` +
        `${cpuPerRequest !== undefined ? `, server CPU ${cpuPerRequest.toFixed(3)} ms/request` : ''}` +
        `${bad ? `, ${bad} FAILED (errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx})` : ''}`,
    );
  }
  console.log(
    `\n${'scenario'.padEnd(52)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU ms/req'.padStart(10)} ${'floor ms'.padStart(8)}  goal p99 < 10 ms`,
  );
  for (const { title, r, cpuPerRequest } of results) {
    // Little's law with every connection always waiting: mean latency = connections x service time, on one full core at best.
    const floor = cpuPerRequest !== undefined ? (connections * cpuPerRequest).toFixed(0) : '-';
    const line = `${title.slice(0, 52).padEnd(52)} ${String(Math.round(r.requests.average)).padStart(7)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${(cpuPerRequest?.toFixed(3) ?? '-').padStart(10)} ${floor.padStart(8)}`;
    console.log(`${line}  ${r.latency.p99 < 10 ? 'met' : 'missed'}`);
  }
  console.log(`(floor: the mean latency ${connections} connections cannot beat on one process even with a whole idle core, = connections x CPU ms/req)`);
  console.log(`(machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  if (results.some(({ r }) => r.errors + r.timeouts + r.non2xx > 0)) process.exitCode = 1;
} finally {
  await server.stop();
  await database?.drop();
  if (profileDir) {
    for (const f of readdirSync(profileDir).filter((x) => x.endsWith('.cpuprofile'))) console.log(`\n${summarizeProfile(join(profileDir, f))}`);
    rmSync(profileDir, { recursive: true, force: true });
  }
}
