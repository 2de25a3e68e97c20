import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGENT_PROTOCOL_VERSION, parseAgentMessage, parseServerMessage, type VmSpec } from './agent-protocol';

const inventory = { cpuModel: 'QEMU', cpus: 2, memoryMiB: 4096, disks: [], kvm: false, accel: 'tcg', qemuVersion: '7.2.22', agentVersion: '0.1.0' };

test('hello needs exactly one of joinToken and nodeCredential', () => {
  const base = { type: 'hello', protocolVersion: AGENT_PROTOCOL_VERSION, hostname: 'h', inventory };
  assert.equal(parseAgentMessage(JSON.stringify({ ...base, joinToken: 't' })).type, 'hello');
  assert.throws(() => parseAgentMessage(JSON.stringify(base)));
  assert.throws(() => parseAgentMessage(JSON.stringify({ ...base, joinToken: 't', nodeCredential: 'c' })));
});

test('desired carries full specs with defaults applied', () => {
  const spec = {
    id: 'vm1', name: 't1', revision: 1, vcpus: 1, memoryMiB: 128,
    boot: { kernel: 'img1', initrd: 'img2', cmdline: 'console=ttyS0' },
    disks: [{ id: 'd1', source: { type: 'volume', pool: 'p1', volume: 'v1' }, format: 'qcow2' }],
    networks: [{ id: 'n1', mac: '52:54:00:12:34:56', network: 'net1', driver: 'user' }],
    restartPolicy: 'no', powerState: 'running',
  };
  const msg = parseServerMessage(JSON.stringify({ type: 'desired', generation: 1, vms: [spec], pools: [] }));
  assert.equal(msg.type, 'desired');
  const vm = (msg as { vms: VmSpec[] }).vms[0];
  assert.equal(vm.disks[0].media, 'disk');
  assert.deepEqual(vm.networks[0].portForwards, []);
  assert.equal(vm.shutdownTimeoutSeconds, 0);
});

test('commands are typed by kind; unknown kinds and bad args are refused', () => {
  const ok = parseServerMessage(JSON.stringify({ type: 'command', commandId: 'c1', kind: 'vm.reset', args: { vmId: 'vm1' } }));
  assert.equal(ok.type === 'command' && ok.timeoutMs, 60_000);
  assert.throws(() => parseServerMessage(JSON.stringify({ type: 'command', commandId: 'c1', kind: 'vm.explode', args: {} })));
  assert.throws(() => parseServerMessage(JSON.stringify({ type: 'command', commandId: 'c1', kind: 'vm.reset', args: {} })));
  assert.throws(() => parseServerMessage(JSON.stringify({
    type: 'command', commandId: 'c2', kind: 'image.import',
    args: { imageId: 'i1', kind: 'kernel', source: { type: 'url', url: 'file:///etc/passwd' }, importDirs: [], maxBytes: 10 },
  })), "only http(s) urls");
});
