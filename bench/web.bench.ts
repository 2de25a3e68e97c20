// `npm run bench:web`: the dashboard in headless Chromium against a real control plane on loopback.
//
//   npm run bench:web -- [--runs 5] [--users 1000]
//
// Prints: the gzipped size of the initial JavaScript (the entry script and its modulepreloads in dist/index.html),
// first contentful paint of the login page with a cold cache, and the time from navigation to an interactive list
// (the users list, 1,000 users seeded through the API, first page rendered with its search box usable), cold and warm
// cache. The VM list replaces the users list once the control plane reports VMs.
import { chromium, type BrowserContext, type Cookie } from '@playwright/test';
import { NovaCronClient } from '@novacron/client';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { spawnServer } from '../apps/web/tests/helpers/spawn-server';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '5' }, users: { type: 'string', default: '1000' } } });
const runs = Number(opt.runs);
const userCount = Number(opt.users);
const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'apps/web/dist');
const ADMIN = { email: 'bench-web@novacron.test', password: 'bench web admin password' };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!existsSync(join(dist, 'index.html'))) {
  const r = spawnSync('npm', ['run', 'build', '-w', '@novacron/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The JavaScript a first visit must fetch before anything renders: the entry module and what it preloads.
function initialJs(): { files: string[]; raw: number; gzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1] ?? m[2]);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(dist, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

// Records, in the page, when the list first has its rows and an enabled search box (performance.now(): ms since navigation start).
const LIST_READY = `
  new MutationObserver((_, obs) => {
    const rows = document.querySelectorAll('table[aria-label="Users"] tbody tr').length;
    const search = document.querySelector('input[placeholder="Email or name"]');
    if (rows >= Math.min(50, window.__expectRows ?? 50) && search && !search.disabled) {
      window.__listReady = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

const server = await spawnServer({ env: { NOVACRON_ADMIN_EMAIL: ADMIN.email, NOVACRON_ADMIN_PASSWORD: ADMIN.password, NOVACRON_LOG_LEVEL: 'error' } });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const anon = new NovaCronClient({ baseUrl: server.url });
  const login = await anon.call('auth.login', { body: ADMIN });
  const admin = new NovaCronClient({ baseUrl: server.url, token: login.accessToken });
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < userCount; i = next++) {
      await admin.call('users.create', { body: { email: `bench-${i}@bench.novacron.test`, name: `Bench User ${i}`, tenantId: login.user.tenantId } });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(`seeded ${userCount} users through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const fcp: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    fcp.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
    await ctx.close();
  }

  // One real sign-in; each run starts a fresh context carrying the (rotated) refresh cookie, so it signs in silently.
  let cookies: Cookie[];
  {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    cookies = await ctx.cookies();
    await ctx.close();
  }
  const listOnce = async (ctx: BrowserContext): Promise<number> => {
    const page = await ctx.newPage();
    await page.addInitScript(LIST_READY);
    await page.goto(`${server.url}/admin/users`);
    await page.waitForFunction(() => (window as unknown as { __listReady?: number }).__listReady, null, { timeout: 60_000 });
    const ms = await page.evaluate(() => (window as unknown as { __listReady: number }).__listReady);
    await page.close();
    return ms;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    await ctx.addCookies(cookies);
    cold.push(await listOnce(ctx));
    warm.push(await listOnce(ctx));
    cookies = await ctx.cookies();
    await ctx.close();
  }

  const js = initialJs();
  console.log('\nNovaCron dashboard (headless Chromium, loopback, built app)');
  console.log(`  initial JS:                 ${(js.gzip / 1024).toFixed(1)} KB gzip (${(js.raw / 1024).toFixed(1)} KB raw, ${js.files.length} files; goal < 250 KB gzip)`);
  console.log(`  first contentful paint:     ${fmt(fcp)} (login page, cold cache)`);
  console.log(`  interactive users list:     ${fmt(cold)} cold cache, incl. silent sign-in (goal < 1000 ms)`);
  console.log(`                              ${fmt(warm)} warm cache`);
  console.log(`  list size:                  ${userCount + 1} users in the store, first page of 50 rendered`);
  console.log(`  machine load average:       ${loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are wall-clock: a loaded box inflates them)`);
} finally {
  await browser.close();
  await server.stop();
}
