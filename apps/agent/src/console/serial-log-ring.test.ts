import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readSerialLogRing, SerialLogRing } from './serial-log-ring';

describe('serial log ring file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-ring-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the last `capacity` bytes in order across wrap-arounds, in a file that never grows', async () => {
    const path = join(dir, 'a.ring');
    const ring = await SerialLogRing.open(path, 16);
    await ring.append(Buffer.from('hello '));
    assert.deepEqual(await readSerialLogRing(path, 100), { data: Buffer.from('hello '), truncated: false });
    await ring.append(Buffer.from('world, '));
    await ring.append(Buffer.from('this wraps'));
    const all = 'hello world, this wraps';
    assert.deepEqual(await readSerialLogRing(path, 100), { data: Buffer.from(all.slice(-16)), truncated: true });
    assert.deepEqual(await readSerialLogRing(path, 5), { data: Buffer.from('wraps'), truncated: true });
    await ring.append(Buffer.from('0123456789abcdefXYZ')); // bigger than the ring at once
    assert.equal((await readSerialLogRing(path, 100)).data.toString(), '3456789abcdefXYZ');
    assert.equal(ring.totalBytes, all.length + 19);
    await ring.close();
    assert.equal((await stat(path)).size, 24 + 16);
  });

  it('survives a reopen (agent restart) and starts over when the size changes or the file is foreign', async () => {
    const path = join(dir, 'b.ring');
    let ring = await SerialLogRing.open(path, 32);
    const writes = ['a', 'b', 'c'].map((c) => ring.append(Buffer.from(c.repeat(5))));
    await Promise.all(writes);
    await ring.close();
    ring = await SerialLogRing.open(path, 32);
    await ring.append(Buffer.from('!'));
    await ring.close();
    assert.equal((await readSerialLogRing(path, 100)).data.toString(), 'aaaaabbbbbccccc!');
    ring = await SerialLogRing.open(path, 64);
    await ring.close();
    assert.deepEqual(await readSerialLogRing(path, 100), { data: Buffer.alloc(0), truncated: false });

    const foreign = join(dir, 'c.ring');
    await writeFile(foreign, 'not a ring');
    assert.deepEqual(await readSerialLogRing(foreign, 100), { data: Buffer.alloc(0), truncated: false });
    assert.deepEqual(await readSerialLogRing(join(dir, 'missing'), 100), { data: Buffer.alloc(0), truncated: false });
  });
});
