import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateMac, randomMac } from './mac';

test('MACs are in the 52:54:00 prefix', () => {
  assert.equal(randomMac(Buffer.from([1, 0xab, 0xff])), '52:54:00:01:ab:ff');
  assert.match(randomMac(), /^52:54:00(:[0-9a-f]{2}){3}$/);
});

test('allocation skips MACs already taken or reserved in the same request', async () => {
  const seen = new Set<string>();
  let asked = 0;
  const reserved = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const mac = await allocateMac(async (m) => {
      asked++;
      return asked % 3 === 0; // every third candidate is "taken"
    }, reserved);
    assert.ok(!seen.has(mac));
    seen.add(mac);
  }
  assert.equal(reserved.size, 50);
});
