import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainRejection, place, type NodeSnapshot } from './place';

const node = (id: string, over: Partial<NodeSnapshot> = {}): NodeSnapshot => ({
  id, name: id, online: true, cpus: 2, memoryMiB: 1024, allocatedVcpus: 0, allocatedMemoryMiB: 0, ...over,
});
const policy = { cpuOvercommit: 2, memoryOvercommit: 1 };

test('places on the node with most memory left', () => {
  const p = place({ vcpus: 1, memoryMiB: 256 }, [node('a', { allocatedMemoryMiB: 512 }), node('b')], policy);
  assert.deepEqual(p.candidates.map((c) => c.nodeId), ['b', 'a']);
  assert.deepEqual(p.rejected, []);
});

test('rejects offline, full and wrong nodes with a reason each', () => {
  const p = place({ vcpus: 2, memoryMiB: 600 }, [
    node('off', { online: false }),
    node('mem', { allocatedMemoryMiB: 500 }),
    node('cpu', { allocatedVcpus: 3 }),
  ], policy);
  assert.deepEqual(p.candidates, []);
  assert.deepEqual(p.rejected.map((r) => [r.nodeId, r.reason.split(':')[0]]), [
    ['cpu', 'not enough vCPUs'], ['mem', 'not enough memory'], ['off', 'offline'],
  ]);
  assert.match(explainRejection(p), /mem: not enough memory: 600 MiB asked, 524 MiB free/);
});

test('a required node restricts the choice', () => {
  const p = place({ vcpus: 1, memoryMiB: 64, requiredNodeId: 'a' }, [node('a'), node('b')], policy);
  assert.deepEqual(p.candidates.map((c) => c.nodeId), ['a']);
  assert.equal(p.rejected[0].nodeId, 'b');
});

test('no nodes at all explains how to add one', () => {
  assert.match(explainRejection(place({ vcpus: 1, memoryMiB: 64 }, [])), /join token/);
});
