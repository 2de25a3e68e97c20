// Where the time of one authenticated request goes, step by step, in-process and sequential (no concurrency):
//
//   node --import tsx bench/api-path.bench.ts [--rows 10000] [--iterations 2000]
//
// Complements `npm run bench:api` (throughput and tail latency under load): each line is the CPU cost of one step,
// the best of three rounds, so a busy machine inflates it less than it inflates latency.
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { AccessTokens } from '../apps/server/src/auth/access-token';
import { userPrincipal } from '../apps/server/src/auth/principal-loader';
import { startTestServer } from '../apps/server/src/testing/test-server';
import { seedUsers } from './lib/seed-users';

const { values: opt } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, iterations: { type: 'string', default: '2000' } } });
const N = Number(opt.iterations);

const srv = await startTestServer();
try {
  const admin = await srv.admin();
  await seedUsers(srv.services.config.databaseUrl, admin.tenantId, Number(opt.rows));
  const { identity, admin: adminServices } = srv.services;
  const claims = await identity.accessTokens.verify(admin.token);
  const user = (await identity.accounts.userById(claims.sub))!;
  const principal = await identity.principals.forUser(user, claims.sid);
  const raw = new Database(srv.services.config.databaseUrl.slice('sqlite:'.length), { readonly: true });
  const rawUser = raw.prepare('select * from users where id = ?');
  const headers = { authorization: `Bearer ${admin.token}` };

  // A verifier that remembers nothing: what the first request with a new token costs.
  const uncached = new AccessTokens(identity.keys, srv.services.clock, 0);
  const access = (await identity.sessions.liveAccess(claims.sid, claims.sub))!;

  const steps: Array<[string, () => Promise<unknown> | unknown]> = [
    ['JWT verify (jose, EdDSA; first use of a token)', () => uncached.verify(admin.token)],
    ['JWT verify (token remembered)', () => identity.accessTokens.verify(admin.token)],
    ['session + user + bindings (1 query; what a request runs)', () => identity.sessions.liveAccess(claims.sid, claims.sub)],
    ['principal from those rows (no query)', () => userPrincipal(access.user, access.bindings, claims.sid)],
    ['session live? (1 query)', () => identity.sessions.isLive(claims.sid, claims.sub)],
    ['user by id (1 query, Kysely)', () => identity.accounts.userById(claims.sub)],
    ['user by id (better-sqlite3 directly)', () => rawUser.get(claims.sub)],
    ['bindings -> principal (1 query)', () => identity.principals.forUser(user, claims.sid)],
    ['users.list service, 50 rows + bindings', () => adminServices.users.list(principal, { limit: 50 })],
    ['HTTP GET /api/v1/health (inject)', () => srv.app.inject({ method: 'GET', url: '/api/v1/health' })],
    ['HTTP GET /api/v1/auth/me (inject)', () => srv.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })],
    ['HTTP GET /api/v1/users?limit=50 (inject)', () => srv.app.inject({ method: 'GET', url: '/api/v1/users?limit=50', headers })],
  ];
  const best = new Map<string, number>();
  for (let round = 0; round < 3; round++) {
    for (const [name, fn] of steps) {
      const n = name.includes('users') ? Math.ceil(N / 4) : N;
      for (let i = 0; i < 50; i++) await fn();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < n; i++) await fn();
      const cpu = process.cpuUsage(cpu0);
      const us = (cpu.user + cpu.system) / n;
      best.set(name, Math.min(best.get(name) ?? Infinity, us));
    }
  }
  console.log(`CPU per call, best of 3 rounds (${N} iterations; list steps ${Math.ceil(N / 4)}):`);
  for (const [name, us] of best) console.log(`  ${(us / 1000).toFixed(3).padStart(7)} ms  ${name}`);
  raw.close();
} finally {
  await srv.close();
}
