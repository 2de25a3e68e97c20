// The real `novacron` process against a real server with the test-only FAKE node agent (no QEMU): images, VMs, console.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureFakeAgent } from '../../server/src/testing/compute-fixtures';
import type { FakeAgent } from '../../server/src/testing/fake-agent';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { runCli, runCliJson } from './testing/run-cli';

let srv: TestServer;
let agent: FakeAgent;
let home: string;
let token: string;

const novacron = (args: string[], stdin = '') => runCli(args, { home, url: srv.url, token, stdin });
const json = (args: string[]) => runCliJson(args, { home, url: srv.url, token });

before(async () => {
  srv = await startTestServer();
  token = (await srv.admin()).token;
  agent = await ensureFakeAgent(srv);
  home = mkdtempSync(join(tmpdir(), 'novacron-cli-compute-'));
});
after(async () => {
  await srv?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('novacron vm/image/node against a real server and a fake agent', () => {
  let vmId: string;

  it('lists the joined node', async () => {
    const nodes = await json(['node', 'list']);
    assert.equal(nodes.items.length, 1);
    assert.equal(nodes.items[0].id, agent.nodeId);
    assert.equal(nodes.items[0].state, 'online');
    const table = await novacron(['node', 'list']);
    assert.match(table.out, new RegExp(`^${agent.nodeId} .* online `, 'm'));
  });

  it('imports a kernel from a URL and uploads a file, waiting for both', async () => {
    const imported = await json(['image', 'import', '--name', 'vmlinuz', '--kind', 'kernel', '--url', 'http://images.invalid/vmlinuz', '--wait']);
    assert.equal(imported.status, 'succeeded');
    const file = join(home, 'tiny.iso');
    writeFileSync(file, Buffer.alloc(100_000, 1));
    const uploaded = await json(['image', 'upload', file, '--wait']);
    assert.equal(uploaded.status, 'succeeded', JSON.stringify(uploaded.error));
    const iso = await json(['image', 'get', 'tiny.iso']);
    assert.deepEqual([iso.kind, iso.status, iso.sizeBytes, iso.source.type], ['iso', 'ready', 100_000, 'upload']);
    const isos = await json(['image', 'list', '--kind', 'iso']);
    assert.deepEqual(isos.items.map((i: { name: string }) => i.name), ['tiny.iso']);
  });

  it('creates and starts a VM with --wait, then lists it as JSON', async () => {
    const op = await json([
      'vm', 'create', '--name', 'cli-vm', '--vcpus', '2', '--memory', '128M', '--kernel-image', 'vmlinuz', '--cmdline', 'console=ttyS0',
      '--disk-size', '1', '--network', 'default', '--label', 'team=cli', '--start', '--wait',
    ]);
    assert.equal(op.status, 'succeeded', JSON.stringify(op.error));
    vmId = op.result.vmId;
    assert.ok(vmId);
    const list = await json(['vm', 'list', '--label', 'team=cli', '--state', 'running']);
    assert.equal(list.items.length, 1);
    const vm = list.items[0];
    assert.deepEqual([vm.id, vm.name, vm.vcpus, vm.memoryMiB, vm.boot.cmdline, vm.disks.length, vm.networks.length], [vmId, 'cli-vm', 2, 128, 'console=ttyS0', 1, 1]);
    assert.ok(vm.boot.kernelImage);
    assert.equal((await json(['vm', 'list', '--state', 'stopped'])).items.length, 0);
    const table = await novacron(['vm', 'list']);
    assert.match(table.out, new RegExp(`^${vmId} +cli-vm +running `, 'm'));
  });

  it('bridges piped stdin to the serial console and prints what the guest answers', async () => {
    const r = await novacron(['vm', 'console', 'cli-vm', '--idle', '300'], 'uname -a\n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /echo:uname -a/);
    await agent.until(() => agent.streams.size === 0);
  });

  it('stops, snapshots and deletes the VM by name, waiting each time', async () => {
    assert.equal((await json(['vm', 'stop', 'cli-vm', '--wait'])).status, 'succeeded');
    assert.equal((await json(['vm', 'get', 'cli-vm'])).state, 'stopped');
    const snap = await json(['vm', 'snapshot', 'create', 'cli-vm', '--name', 'before', '--wait']);
    assert.equal(snap.status, 'succeeded', JSON.stringify(snap.error));
    assert.deepEqual((await json(['vm', 'snapshot', 'list', 'cli-vm'])).items.map((s: { name: string }) => s.name), ['before']);
    const stoppedConsole = await novacron(['vm', 'console', 'cli-vm']);
    assert.equal(stoppedConsole.code, 1);
    assert.match(stoppedConsole.err, /^error INVALID_STATE: no console/);
    assert.equal((await json(['vm', 'delete', 'cli-vm', '--wait'])).status, 'succeeded');
    const gone = await novacron(['vm', 'get', vmId]);
    assert.equal(gone.code, 4, gone.err);
    assert.equal((await json(['vm', 'list'])).items.length, 0);
  });
});
