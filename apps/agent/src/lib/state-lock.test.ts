import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lockStateDir } from './state-lock';

describe('state directory lock', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nc-lock-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second agent while the first holds the lock, and allows one after release', async () => {
    const release = await lockStateDir(dir);
    assert.equal((await readFile(join(dir, 'agent.lock'), 'utf8')).trim(), String(process.pid));
    await assert.rejects(lockStateDir(dir), { code: 'IN_USE' });
    await release();
    await (await lockStateDir(dir))();
  });

  it('refuses a lock held by another live process and takes over one left by a dead one', async () => {
    await writeFile(join(dir, 'agent.lock'), '1\n'); // pid 1 lives
    await assert.rejects(lockStateDir(dir), /another agent \(pid 1\)/);
    await writeFile(join(dir, 'agent.lock'), '999999999\n');
    await (await lockStateDir(dir))();
  });
});
