import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { WorkQueue } from './work-queue';

describe('WorkQueue', () => {
  it('collapses adds of a waiting key and re-runs a key added while it runs, never twice at once', async () => {
    const runs: string[] = [];
    let concurrent = 0;
    let maxConcurrentSameKey = 0;
    const queue = new WorkQueue(async (key) => {
      concurrent++;
      maxConcurrentSameKey = Math.max(maxConcurrentSameKey, concurrent);
      runs.push(key);
      await sleep(20);
      concurrent--;
    }, { concurrency: 1 });
    queue.add('a');
    queue.add('b');
    queue.add('b');
    queue.add('b');
    await sleep(5);
    queue.add('a'); // while a runs: one more run afterwards
    queue.add('a');
    await queue.idle();
    assert.deepEqual(runs, ['a', 'b', 'a']);
    assert.equal(maxConcurrentSameKey, 1);
  });

  it('retries a failing key with doubling delays and forgets failures after a success', async () => {
    const times: number[] = [];
    const start = Date.now();
    const queue = new WorkQueue(async () => {
      times.push(Date.now() - start);
      if (times.length < 4) throw new Error('not yet');
    }, { baseBackoffMs: 20, maxBackoffMs: 1000 });
    queue.add('k');
    while (times.length < 4) await sleep(5);
    await queue.idle();
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    assert.ok(gaps[0] >= 18 && gaps[1] >= 38 && gaps[2] >= 78, `gaps ${gaps.join(',')}`);
    assert.equal(queue.failureCount('k'), 0);
    queue.stop();
  });
});
