import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BusyGuard } from './busy-guard';

test('a claimed key refuses a second claim until released', () => {
  const busy = new BusyGuard();
  const release = busy.claim('vm:1', 'vm.start');
  assert.throws(() => busy.claim('vm:1', 'vm.stop'), /vm 1 is busy \(vm.start is running\)/);
  busy.claim('vm:2', 'vm.stop')();
  release();
  release(); // twice is harmless
  busy.claim('vm:1', 'vm.stop')();
});
