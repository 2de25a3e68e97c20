import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSnapshot, mergeSnapshots, type QemuSnapshotInfo } from './snapshots';

const snap = (name: string, sec: number, vmState = 0): QemuSnapshotInfo => ({
  id: '1', name, 'vm-state-size': vmState, 'date-sec': sec, 'date-nsec': 500_000_000, 'vm-clock-sec': 3, 'vm-clock-nsec': 250_000_000,
});

describe('snapshot merging and checks (no QEMU)', () => {
  it('merges per-disk lists by tag, oldest first, and flags snapshots missing on a disk', () => {
    const merged = mergeSnapshots([
      { disk: 'drive-a', snapshots: [snap('s2', 200), snap('s1', 100, 4096)] },
      { disk: 'drive-b', snapshots: [snap('s1', 100)] },
    ]);
    assert.deepEqual(merged, [
      { tag: 's1', createdAt: new Date(100_500).toISOString(), includesRam: true, vmStateBytes: 4096, vmClockSeconds: 3.25, disks: ['drive-a', 'drive-b'], complete: true },
      { tag: 's2', createdAt: new Date(200_500).toISOString(), includesRam: false, vmStateBytes: 0, vmClockSeconds: 3.25, disks: ['drive-a'], complete: false },
    ]);
  });

  it('refuses raw writable disks, VMs without a writable disk, and bad tags before touching anything', async () => {
    await assert.rejects(
      createSnapshot({ kind: 'stopped', disks: [{ path: '/x/a.qcow2', format: 'qcow2' }, { path: '/x/b.raw', format: 'raw' }] }, 's1', { includeRam: false }),
      { code: 'UNSUPPORTED' },
    );
    await assert.rejects(
      createSnapshot({ kind: 'stopped', disks: [{ path: '/x/iso.raw', format: 'raw', readonly: true }] }, 's1', { includeRam: false }),
      { code: 'UNSUPPORTED' },
    );
    await assert.rejects(createSnapshot({ kind: 'stopped', disks: [] }, '../etc', { includeRam: false }), { code: 'BAD_REQUEST' });
  });
});
