import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Undo } from './undo';

test('undo runs steps newest first and keeps going past failures', async () => {
  const undo = new Undo();
  const ran: string[] = [];
  undo.push('a', async () => ran.push('a'));
  undo.push('b', async () => {
    ran.push('b');
    throw new Error('boom');
  });
  undo.push('c', async () => ran.push('c'));
  const failed = await undo.run();
  assert.deepEqual(ran, ['c', 'b', 'a']);
  assert.deepEqual(failed, ['b: boom']);
  assert.deepEqual(await undo.run(), [], 'steps run once');
});

test('commit forgets the steps', async () => {
  const undo = new Undo();
  let ran = false;
  undo.push('a', async () => (ran = true));
  undo.commit();
  await undo.run();
  assert.equal(ran, false);
});
