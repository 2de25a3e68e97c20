import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { run } from '../../cli';
import { writeCredentials } from '../../credentials';
import { captureIo, fakeFetch, problem, type FakeAnswer, type FakeRequest } from '../../testing/fake-api';
import { parseMemoryMiB, vmCreateBody } from './create-body';
import { vmSetBody } from './set';
import { consoleSocketUrl } from './console';
import { consoleFailure } from './console-bridge';

const server = 'http://127.0.0.1:9';
const root = mkdtempSync(join(tmpdir(), 'novacron-cli-vm-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Runs the CLI in-process, logged in, against a fake API (or a custom fetch). */
async function cli(argv: string[], handler: (req: FakeRequest) => FakeAnswer | undefined, fetchImpl?: typeof fetch) {
  const config = join(root, `home${n++}`);
  const env = { XDG_CONFIG_HOME: config, HOME: config, NOVACRON_URL: server };
  writeCredentials(join(config, 'novacron', 'credentials.json'), { server, accessToken: 'tok', refreshToken: 'r' });
  const io = captureIo(env);
  const api = fakeFetch(handler);
  const code = await run(argv, io, { fetch: fetchImpl ?? api.fetch });
  return { code, out: io.out(), err: io.err(), requests: api.requests };
}

const T = '2026-12-01T00:00:00.000Z';
const op = (over: Record<string, unknown> = {}) => ({
  id: 'op1', kind: 'vm.create', status: 'pending', progress: 0, mayCancel: false, tenantId: 't1', resources: ['vm/v1'],
  result: null, error: null, createdBy: 'u1', createdAt: T, updatedAt: T, ...over,
});
const vm = (over: Record<string, unknown> = {}) => ({
  id: 'v1', name: 'web1', description: '', tenantId: 't1', nodeId: 'n1', state: 'running', powerState: 'running', vcpus: 2, memoryMiB: 2048,
  restartPolicy: 'no', boot: { kernelImage: null, initrdImage: null, cmdline: null, order: ['disk'] }, disks: [], networks: [],
  labels: { env: 'prod' }, isTemplate: false, cloudInit: false, pendingRestart: false, accel: 'kvm', pid: 42, stateSince: T,
  error: null, guest: null, createdAt: T, updatedAt: T, ...over,
});
const image = (id: string, name: string) => ({
  id, name, kind: 'kernel', format: 'kernel', status: 'ready', sizeBytes: 1, virtualSizeBytes: 1, sha256: null, tenantId: 't1', nodeId: 'n1',
  source: { type: 'url', detail: 'x' }, error: null, createdAt: T, updatedAt: T,
});
const page = (items: unknown[]) => ({ status: 200, body: { items, nextCursor: null } });

describe('novacron vm create', () => {
  it('maps flags to the create body, resolving image names, and answers the operation', async () => {
    const r = await cli(
      ['vm', 'create', '--name', 'web1', '--vcpus', '2', '--memory', '2G', '--kernel-image', 'vmlinuz', '--initrd-image', 'img_initrd',
        '--cmdline', 'console=ttyS0', '--disk-size', '10', '--network', 'default', '--network', 'lan', '--label', 'env=prod', '--label', 'web',
        '--start', '-o', 'json'],
      (req) => {
        if (req.method === 'GET' && req.path === '/api/v1/images/vmlinuz') return problem(404, 'NOT_FOUND');
        if (req.method === 'GET' && req.path === '/api/v1/images') return page([image('img_k2', 'vmlinuz-old'), image('img_k', 'vmlinuz')]);
        if (req.method === 'GET' && req.path === '/api/v1/images/img_initrd') return { status: 200, body: image('img_initrd', 'initrd') };
        if (req.method === 'POST' && req.path === '/api/v1/vms') return { status: 202, body: op() };
        return undefined;
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).id, 'op1');
    const create = r.requests.find((q) => q.method === 'POST')!;
    assert.deepEqual(create.body, {
      name: 'web1', vcpus: 2, memoryMiB: 2048, disks: [{ sizeGiB: 10 }], networks: [{ network: 'default' }, { network: 'lan' }],
      labels: { env: 'prod', web: '' }, start: true,
      boot: { kernelImage: 'img_k', initrdImage: 'img_initrd', cmdline: 'console=ttyS0' },
    });
  });

  it('boots from a disk image grown to --disk-size, with defaults for cpus and memory', () => {
    assert.deepEqual(vmCreateBody({ name: 'db', image: 'debian', 'disk-size': '20G', 'full-copy': true }, { image: 'img_d' }), {
      name: 'db', vcpus: 1, memoryMiB: 512, disks: [{ image: 'img_d', sizeGiB: 20, linked: false }], networks: [], labels: {}, start: false,
    });
  });

  it('waits with --wait and exits 1 when the operation failed', async () => {
    let polls = 0;
    const r = await cli(['vm', 'create', '--name', 'x', '--wait'], (req) => {
      if (req.method === 'POST') return { status: 202, body: op() };
      if (req.path === '/api/v1/operations/op1') return { status: 200, body: op({ status: 'running' }) };
      if (req.path === '/api/v1/operations/op1/wait') {
        polls++;
        return { status: 200, body: op({ status: 'failed', error: { code: 'NO_NODE_AVAILABLE', message: 'no node' } }) };
      }
      return undefined;
    });
    assert.equal(r.code, 1);
    assert.equal(polls, 1);
    assert.match(r.out, /^status: +failed$/m);
    assert.match(r.err, /^error NO_NODE_AVAILABLE: operation op1 failed: no node$/m);
  });

  it('refuses bad flags before calling the server (exit 2)', async () => {
    for (const argv of [
      ['vm', 'create'],
      ['vm', 'create', '--name', 'x', '--cmdline', 'quiet'],
      ['vm', 'create', '--name', 'x', '--memory', 'lots'],
      ['vm', 'create', '--name', 'x', '--vcpus', '0'],
      ['vm', 'create', '--name', 'x', '--disk-size', '0'],
      ['vm', 'create', '--name', 'x', '--restart-policy', 'sometimes'],
      ['vm', 'list', '--state', 'sleeping'],
    ]) {
      const r = await cli(argv, () => ({ status: 500 }));
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.equal(r.requests.length, 0, argv.join(' '));
    }
  });

  it('reads memory sizes in MiB and GiB', () => {
    assert.equal(parseMemoryMiB('512'), 512);
    assert.equal(parseMemoryMiB('512M'), 512);
    assert.equal(parseMemoryMiB('4GiB'), 4096);
    assert.throws(() => parseMemoryMiB('16'), /between 32M/);
  });
});

describe('novacron vm list, power, delete, snapshots', () => {
  it('passes the filters as the list query and prints a table', async () => {
    const r = await cli(['vm', 'list', '--state', 'running', '--node', 'n1', '--label', 'env=prod', '--text', 'web', '--limit', '5'], () => page([vm()]));
    assert.equal(r.code, 0, r.err);
    const q = Object.fromEntries(r.requests[0].query);
    assert.deepEqual(q, { limit: '5', state: 'running', node: 'n1', label: 'env=prod', text: 'web' });
    assert.match(r.out, /^ID +NAME +STATE +NODE +VCPUS +MEMORY/);
    assert.match(r.out, /^v1 +web1 +running +n1 +2 +2 GiB/m);
  });

  it('start/stop/shutdown/reboot/pause/resume name a VM by name and call its action', async () => {
    for (const verb of ['start', 'stop', 'shutdown', 'reboot', 'pause', 'resume']) {
      const r = await cli(['vm', verb, 'web1'], (req) => {
        if (req.path === '/api/v1/vms/web1') return problem(404, 'NOT_FOUND');
        if (req.path === '/api/v1/vms' && req.method === 'GET') return page([vm()]);
        if (req.method === 'POST') return { status: 202, body: op({ kind: `vm.${verb}` }) };
        return undefined;
      });
      assert.equal(r.code, 0, `${verb}: ${r.err}`);
      const post = r.requests.at(-1)!;
      assert.equal(`${post.method} ${post.path}`, `POST /api/v1/vms/v1/${verb}`);
      assert.match(r.err, /novacron op wait op1/);
    }
    const s = await cli(['vm', 'shutdown', 'v1', '--grace', '5'], (req) => (req.method === 'GET' ? { status: 200, body: vm() } : { status: 202, body: op() }));
    assert.equal(s.requests.at(-1)!.query.get('timeout'), '5');
  });

  it('delete sends force=true with --force and reports NOT_FOUND as exit 4', async () => {
    const r = await cli(['vm', 'delete', 'v1', '--force'], (req) => (req.method === 'GET' ? { status: 200, body: vm() } : { status: 202, body: op() }));
    assert.equal(r.code, 0, r.err);
    assert.equal(r.requests.at(-1)!.method, 'DELETE');
    assert.equal(r.requests.at(-1)!.query.get('force'), 'true');
    const missing = await cli(['vm', 'delete', 'ghost'], (req) => (req.path === '/api/v1/vms' ? page([]) : problem(404, 'NOT_FOUND')));
    assert.equal(missing.code, 4);
    assert.match(missing.err, /^error NOT_FOUND: no VM ghost/);
  });

  it('clone and snapshot create send their bodies; revert finds a snapshot by name', async () => {
    const ok = (req: FakeRequest): FakeAnswer | undefined => {
      if (req.path === '/api/v1/vms/v1' && req.method === 'GET') return { status: 200, body: vm() };
      if (req.path === '/api/v1/vms/v1/snapshots' && req.method === 'GET') {
        return page([{ id: 's1', vmId: 'v1', name: 'before-upgrade', description: '', includesRam: false, vmState: 'stopped', createdAt: T }]);
      }
      return { status: 202, body: op() };
    };
    const c = await cli(['vm', 'clone', 'v1', '--name', 'v2', '--linked'], ok);
    assert.deepEqual(c.requests.at(-1)!.body, { name: 'v2', linked: true, start: false });
    const s = await cli(['vm', 'snapshot', 'create', 'v1', '--name', 'snap', '--ram'], ok);
    assert.deepEqual(s.requests.at(-1)!.body, { name: 'snap', description: '', includeRam: true });
    const rv = await cli(['vm', 'snapshot', 'revert', 'v1', 'before-upgrade'], ok);
    assert.equal(rv.code, 0, rv.err);
    assert.equal(rv.requests.at(-1)!.path, '/api/v1/vms/v1/snapshots/s1/revert');
    const del = await cli(['vm', 'snapshot', 'delete', 'v1', 's1'], ok);
    assert.equal(`${del.requests.at(-1)!.method} ${del.requests.at(-1)!.path}`, 'DELETE /api/v1/vms/v1/snapshots/s1');
    const list = await cli(['vm', 'snapshot', 'list', 'v1'], ok);
    assert.match(list.out, /^s1 +before-upgrade +false +stopped/m);
  });
});

describe('novacron vm console helpers', () => {
  it('turns the ticket url into a ws:// or wss:// URL on the server', () => {
    assert.equal(consoleSocketUrl('http://h:8090', '/api/v1/vms/v1/console?type=serial&ticket=ncc_x'), 'ws://h:8090/api/v1/vms/v1/console?type=serial&ticket=ncc_x');
    assert.equal(consoleSocketUrl('https://h/base', '/api/v1/vms/v1/console?ticket=t'), 'wss://h/api/v1/vms/v1/console?ticket=t');
  });
  it('maps close codes to errors; a normal or client close is no error', () => {
    assert.equal(consoleFailure({ code: 1006, reason: '', byClient: true }), undefined);
    assert.equal(consoleFailure({ code: 1000, reason: 'stopped', byClient: false }), undefined);
    assert.equal(consoleFailure({ code: 4409, reason: 'the VM is stopped', byClient: false })?.message, 'no console: the VM is stopped');
    assert.equal(consoleFailure({ code: 4401, reason: 'x', byClient: false })?.name, 'CliError');
  });
});

describe('novacron image and node', () => {
  it('image import maps --url/--path to the source and refuses both or neither', async () => {
    const r = await cli(['image', 'import', '--name', 'deb', '--kind', 'disk', '--url', 'https://example.com/d.qcow2'], () => ({ status: 202, body: op() }));
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.requests[0].body, { name: 'deb', kind: 'disk', source: { url: 'https://example.com/d.qcow2' } });
    const p = await cli(['image', 'import', '--name', 'k', '--kind', 'kernel', '--path', '/srv/images/vmlinuz'], () => ({ status: 202, body: op() }));
    assert.deepEqual(p.requests[0].body, { name: 'k', kind: 'kernel', source: { path: '/srv/images/vmlinuz' } });
    for (const extra of [[], ['--path', '/a', '--url', 'http://b'], ['--path', 'relative']]) {
      const bad = await cli(['image', 'import', '--name', 'x', '--kind', 'iso', ...extra], () => ({ status: 202, body: op() }));
      assert.equal(bad.code, 2, extra.join(' '));
    }
  });

  it('image upload streams the file as octet-stream with its name and guessed kind', async () => {
    const file = join(root, 'alpine 3.iso');
    writeFileSync(file, Buffer.alloc(70_000, 7));
    let seen: { url: string; headers: Record<string, string>; bytes: number } | undefined;
    const impl = (async (input: string | URL, init?: RequestInit) => {
      const chunks: Uint8Array[] = [];
      for await (const c of init!.body as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
      seen = { url: String(input), headers: init!.headers as Record<string, string>, bytes: Buffer.concat(chunks).length };
      return new Response(JSON.stringify(op({ kind: 'image.import' })), { status: 202, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const r = await cli(['image', 'upload', file, '-o', 'json'], () => undefined, impl);
    assert.equal(r.code, 0, r.err);
    assert.equal(seen!.url, `${server}/api/v1/images/upload?name=alpine-3.iso&kind=iso`);
    assert.equal(seen!.headers['content-type'], 'application/octet-stream');
    assert.equal(seen!.headers['content-length'], '70000');
    assert.equal(seen!.headers.authorization, 'Bearer tok');
    assert.equal(seen!.bytes, 70_000);
    const noKind = await cli(['image', 'upload', join(root, 'blob.bin')], () => undefined, impl);
    assert.equal(noKind.code, 2);
  });

  it('node list and join-token create', async () => {
    const l = await cli(['node', 'list', '--state', 'online'], () => page([]));
    assert.equal(l.code, 0, l.err);
    assert.equal(l.requests[0].query.get('state'), 'online');
    const t = await cli(['node', 'join-token', 'create', '--ttl', '600', '--description', 'rack 2'], () => ({ status: 201, body: { id: 'j1', token: 'ncj_secret', expiresAt: T } }));
    assert.equal(t.code, 0, t.err);
    assert.deepEqual(t.requests[0].body, { ttlSeconds: 600, description: 'rack 2' });
    assert.match(t.out, /^token: +ncj_secret$/m);
  });
});

describe('novacron vm set', () => {
  it('sends only the flags given, "none" clears a ceiling, and prints the changed VM', async () => {
    assert.deepEqual(vmSetBody({ vcpus: '2', memory: '1G', 'max-vcpus': '4', 'max-memory': 'none' }), { vcpus: 2, memoryMiB: 1024, maxVcpus: 4, maxMemoryMiB: null });
    assert.deepEqual(vmSetBody({ label: ['env=dev', 'tier'], template: true }), { labels: { env: 'dev', tier: '' }, isTemplate: true });
    const c = await cli(['vm', 'set', 'web1', '--vcpus', '3', '--output', 'json'], (req) => {
      if (req.path === '/api/v1/vms/web1') return problem(404, 'NOT_FOUND');
      if (req.path === '/api/v1/vms' && req.method === 'GET') return page([vm()]);
      if (req.path === '/api/v1/vms/v1' && req.method === 'PATCH') return { status: 200, body: vm({ vcpus: 3, maxVcpus: 4, maxMemoryMiB: null }) };
      return undefined;
    });
    assert.equal(c.code, 0, c.err);
    assert.deepEqual(c.requests.at(-1)!.body, { vcpus: 3 });
    assert.equal(JSON.parse(c.out).vcpus, 3);
  });

  it('refuses an empty change, bad sizes and contradicting flags before calling the server (exit 2)', async () => {
    for (const argv of [['vm', 'set', 'v1'], ['vm', 'set', 'v1', '--memory', 'lots'], ['vm', 'set', 'v1', '--template', '--no-template'], ['vm', 'set', 'v1', '--max-vcpus', '0']]) {
      const c = await cli(argv, () => ({ status: 500, body: {} }));
      assert.equal(c.code, 2, argv.join(' '));
      assert.equal(c.requests.length, 0, argv.join(' '));
    }
  });
});
