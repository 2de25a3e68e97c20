// The whole test suite: contract freshness, types, unit + integration tests (node:test), then browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);

function step(name, cmd, args, env = {}) {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n${name} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

function findTests(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findTests(path, out);
    else if (/\.test\.tsx?$/.test(entry.name)) out.push(relative(root, path));
  }
  return out;
}

let files = ['packages', 'apps', 'tests'].filter((d) => existsSync(join(root, d))).flatMap((d) => findTests(join(root, d))).sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));

if (!filter.length) {
  step('openapi.json is current', 'node', ['--import', 'tsx', 'packages/api/scripts/write-openapi.ts', '--check']);
  step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
}
if (files.some((f) => f.includes('qemu') || f.startsWith('tests/'))) step('test guest', 'bash', ['tests/guest/build.sh']);
step(`node tests (${files.length} files)`, 'node', ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]);
const playwrightConfig = join(root, 'apps', 'web', 'playwright.config.ts');
if (!filter.length && existsSync(playwrightConfig)) step('browser tests', 'npx', ['playwright', 'test', '-c', playwrightConfig]);
