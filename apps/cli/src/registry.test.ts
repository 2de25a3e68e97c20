import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commands } from './commands';
import { CommandRegistry, defineCommand } from './registry';

const cmd = (...path: string[]) => defineCommand({ path, summary: path.join(' '), run: async () => undefined });

describe('CommandRegistry', () => {
  it('matches the longest command prefix and says how many words it used', () => {
    const r = new CommandRegistry([cmd('login'), cmd('users', 'list'), cmd('vm', 'snapshot', 'create')]);
    assert.deepEqual(r.match(['users', 'list', 'extra'])?.used, 2);
    assert.equal(r.match(['vm', 'snapshot', 'create', 'x'])?.command.path.join(' '), 'vm snapshot create');
    assert.equal(r.match(['login'])?.used, 1);
    assert.equal(r.match(['users']), undefined);
    assert.deepEqual(r.under(['users']).map((c) => c.path.join(' ')), ['users list']);
  });
  it('refuses two commands with the same words', () => {
    assert.throws(() => new CommandRegistry([cmd('a', 'b'), cmd('a', 'b')]), /duplicate command: a b/);
  });
  it('holds every built-in command once, each with a summary', () => {
    const r = new CommandRegistry(commands);
    for (const words of ['login', 'logout', 'whoami', 'users list', 'users roles', 'roles create', 'tenants update', 'audit verify', 'settings set', 'op wait', 'tokens revoke']) {
      assert.ok(r.match(words.split(' ')), words);
    }
    for (const c of r.all()) assert.ok(c.summary, c.path.join(' '));
  });
});
