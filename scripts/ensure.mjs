// Brings a checkout up to date before `npm start` / `npm test`, idempotently:
// Debian packages (installed when root, otherwise the command is printed), `npm ci` when the lockfile changed,
// and the web build when its sources changed. Only node built-ins here: it runs before dependencies exist.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const APT_PACKAGES = ['qemu-system-x86', 'qemu-utils', 'chromium', 'busybox-static', 'syslinux', 'mtools', 'dosfstools', 'genisoimage'];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`ensure: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

function missingDebianPackages() {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\n', ...APT_PACKAGES], { encoding: 'utf8' });
  const installed = new Set((r.stdout ?? '').split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]));
  return APT_PACKAGES.filter((p) => !installed.has(p));
}

const missing = missingDebianPackages();
if (missing.length) {
  if (process.getuid?.() === 0) {
    console.log(`ensure: installing ${missing.join(' ')}`);
    run('apt-get', ['update', '-qq', '-o', 'DPkg::Lock::Timeout=600']);
    run('apt-get', ['install', '-y', '-qq', '-o', 'DPkg::Lock::Timeout=600', '--no-install-recommends', ...missing], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } else {
    console.warn(`ensure: missing Debian packages; run:\n  sudo apt-get install -y ${missing.join(' ')}`);
  }
}

const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const stamp = join(root, 'node_modules', '.novacron-lock-hash');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  console.log('ensure: npm ci (lockfile changed)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, lockHash);
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const web = join(root, 'apps', 'web');
if (existsSync(join(web, 'index.html'))) {
  const built = join(web, 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs, newestMtime(join(root, 'packages')));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    console.log('ensure: building the dashboard');
    run('npm', ['run', 'build', '-w', '@novacron/web']);
  }
}
