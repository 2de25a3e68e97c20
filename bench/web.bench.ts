// `npm run bench:web`: the dashboard in headless Chromium against a real control plane on loopback.
//
//   npm run bench:web -- [--runs 5] [--vms 1000]
//
// Prints: the gzipped size of the initial JavaScript (the entry script and its modulepreloads in dist/index.html),
// first contentful paint of the login page with a cold cache, the time from navigation to an interactive VM list
// (1,000 stopped VMs in the store, first page rendered with its search box usable), cold and warm cache, and how long a
// search on that list takes to show its match. The VMs are created through the API (`POST /api/v1/vms`, start: false)
// on a fake node agent (the control-plane test double: it speaks the agent protocol, runs no QEMU), so nothing boots.
import { chromium, type BrowserContext, type Cookie } from '@playwright/test';
import { NovaCronClient } from '@novacron/client';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { FakeAgent } from '../apps/server/src/testing/fake-agent';
import { spawnServer } from '../apps/web/tests/helpers/spawn-server';

const { values: opt } = parseArgs({ options: { runs: { type: 'string', default: '5' }, vms: { type: 'string', default: '1000' } } });
const runs = Number(opt.runs);
const vmCount = Number(opt.vms);
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

const VM_ROWS = 'table[aria-label="Virtual machines"] tbody tr';
const VM_SEARCH = 'input[placeholder="Name or description"]';
const vmName = (i: number) => `bench-vm-${String(i).padStart(4, '0')}`;

// Records, in the page, when the VM list first has its rows and an enabled search box (performance.now(): ms since navigation start).
const LIST_READY = `
  new MutationObserver((_, obs) => {
    const rows = document.querySelectorAll('${VM_ROWS}').length;
    const search = document.querySelector('${VM_SEARCH}');
    if (rows >= 50 && search && !search.disabled) {
      window.__listReady = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

// Types a VM's name into the search box and resolves with the ms until the list shows that VM alone. A string, like
// LIST_READY: functions compiled by tsx carry helpers (__name) the page does not have.
const SEARCH = (name: string) => `
  new Promise((resolve, reject) => {
    const name = ${JSON.stringify(name)};
    const input = document.querySelector('${VM_SEARCH}');
    const t = performance.now();
    const obs = new MutationObserver(() => {
      const rows = document.querySelectorAll('${VM_ROWS}');
      if (rows.length === 1 && rows[0].textContent.includes(name)) {
        obs.disconnect();
        resolve(performance.now() - t);
      }
    });
    obs.observe(document, { childList: true, subtree: true, characterData: true });
    setTimeout(() => reject(new Error('search for ' + name + ' did not narrow the list in 30 s')), 30000);
    // React listens for input events; the native value setter makes it see the change as typing does.
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, name);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  })
`;

const server = await spawnServer({ env: { NOVACRON_ADMIN_EMAIL: ADMIN.email, NOVACRON_ADMIN_PASSWORD: ADMIN.password, NOVACRON_LOG_LEVEL: 'error' } });
let agent: FakeAgent | undefined;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const anon = new NovaCronClient({ baseUrl: server.url });
  const login = await anon.call('auth.login', { body: ADMIN });
  const admin = new NovaCronClient({ baseUrl: server.url, token: login.accessToken });
  // A node for placement: big enough that 1,000 small VMs fit; VMs are created stopped, so nothing runs.
  const { token: joinToken } = await admin.call('nodes.createJoinToken', { body: { ttlSeconds: 600, description: 'bench:web' } });
  agent = await new FakeAgent({ serverUrl: server.url, joinToken, hostname: 'bench-node', cpus: 4096, memoryMiB: 64 * 1024 * 1024 }).connect();
  const t0 = Date.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < vmCount; i = next++) {
      const op = await admin.call('vms.create', {
        body: { name: vmName(i), description: `bench VM ${i}`, vcpus: 1 + (i % 4), memoryMiB: 256 * (1 + (i % 8)), labels: { bench: String(i % 10) }, disks: [{ sizeGiB: 1 }], start: false },
      });
      const done = await admin.call('operations.wait', { params: { id: op.id }, query: { timeout: 60 } });
      if (done.status !== 'succeeded') throw new Error(`creating ${vmName(i)}: ${done.status} ${done.error?.code ?? ''} ${done.error?.message ?? ''}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const listed = await admin.call('vms.list', { query: { limit: 1 } });
  // The API under the page: one page of the list, and a search, with every VM in the store (sequential, so latency not throughput).
  const apiMs = async (query: Record<string, unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await admin.call('vms.list', { query });
      xs.push(performance.now() - t);
    }
    return xs;
  };
  const apiPage = await apiMs({ limit: 50 });
  const apiSearch = await apiMs({ limit: 50, text: vmName(Math.floor(vmCount / 2)) });
  console.log(`seeded ${vmCount} stopped VMs through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s (first listed: ${listed.items[0]?.name}, state ${listed.items[0]?.state})`);

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
  // Navigation to interactive list; then, on the same page, a search for one VM: time from the keystrokes to the list
  // showing that VM alone (includes the page's 250 ms input debounce and the filtered API call).
  const listOnce = async (ctx: BrowserContext, target: string): Promise<{ ready: number; search: number }> => {
    const page = await ctx.newPage();
    await page.addInitScript(LIST_READY);
    await page.goto(`${server.url}/vms`);
    await page.waitForFunction(() => (window as unknown as { __listReady?: number }).__listReady, null, { timeout: 60_000 });
    const ready = await page.evaluate(() => (window as unknown as { __listReady: number }).__listReady);
    const search = (await page.evaluate(SEARCH(target))) as number;
    await page.close();
    return { ready, search };
  };
  const cold: number[] = [];
  const warm: number[] = [];
  const searches: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext();
    await ctx.addCookies(cookies);
    const c = await listOnce(ctx, vmName((i * 197) % vmCount));
    const w = await listOnce(ctx, vmName((i * 197 + 101) % vmCount));
    cold.push(c.ready);
    warm.push(w.ready);
    searches.push(c.search, w.search);
    cookies = await ctx.cookies();
    await ctx.close();
  }

  const js = initialJs();
  console.log('\nNovaCron dashboard (headless Chromium, loopback, built app)');
  console.log(`  initial JS:                 ${(js.gzip / 1024).toFixed(1)} KB gzip (${(js.raw / 1024).toFixed(1)} KB raw, ${js.files.length} files; goal < 250 KB gzip)`);
  console.log(`  first contentful paint:     ${fmt(fcp)} (login page, cold cache)`);
  console.log(`  interactive VM list:        ${fmt(cold)} cold cache, incl. silent sign-in (goal < 1000 ms)`);
  console.log(`                              ${fmt(warm)} warm cache`);
  console.log(`  search to single match:     ${fmt(searches)} (incl. the 250 ms input debounce)`);
  console.log(`  GET /vms?limit=50 (API):    ${fmt(apiPage)}; with text= search ${fmt(apiSearch)}`);
  console.log(`  list size:                  ${vmCount} stopped VMs in the store, first page of 50 rendered`);
  console.log(`  machine load average:       ${loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are wall-clock: a loaded box inflates them)`);
} finally {
  await agent?.close();
  await browser.close();
  await server.stop();
}
