import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SERVER, intFlag, parseCommandArgs, resolveGlobals, splitGlobals } from './args';
import { UsageError } from './exit-codes';
import { defineCommand } from './registry';

describe('splitGlobals', () => {
  it('takes global flags from anywhere and leaves the rest in order', () => {
    const { globals, rest } = splitGlobals(['users', '--output', 'json', 'list', '--limit', '5', '--server=http://h:1', '-h']);
    assert.deepEqual(rest, ['users', 'list', '--limit', '5']);
    assert.equal(globals.output, 'json');
    assert.equal(globals.server, 'http://h:1');
    assert.equal(globals.help, true);
  });
  it('reads -o json, -ojson and -o=json style short flags', () => {
    assert.equal(splitGlobals(['-o', 'json']).globals.output, 'json');
    assert.equal(splitGlobals(['-ojson']).globals.output, 'json');
    assert.equal(splitGlobals(['--token=abc']).globals.token, 'abc');
  });
  it('stops at -- and passes everything after it on', () => {
    const { globals, rest } = splitGlobals(['settings', 'set', '--', '--output', 'x']);
    assert.equal(globals.output, undefined);
    assert.deepEqual(rest, ['settings', 'set', '--', '--output', 'x']);
  });
  it('rejects a global flag without its value', () => {
    assert.throws(() => splitGlobals(['whoami', '--server']), UsageError);
    assert.throws(() => splitGlobals(['--server', '--output', 'json']), UsageError);
    assert.throws(() => splitGlobals(['--help=yes']), UsageError);
  });
});

describe('resolveGlobals', () => {
  const raw = { help: false, version: false };
  it('prefers --server, then NOVACRON_URL, then the stored server, then the default', () => {
    assert.equal(resolveGlobals({ ...raw, server: 'http://a:1/' }, { NOVACRON_URL: 'http://b:2' }, 'http://c:3').server, 'http://a:1');
    assert.equal(resolveGlobals(raw, { NOVACRON_URL: 'http://b:2' }, 'http://c:3').server, 'http://b:2');
    assert.equal(resolveGlobals(raw, {}, 'http://c:3').server, 'http://c:3');
    assert.equal(resolveGlobals(raw, {}).server, DEFAULT_SERVER);
  });
  it('takes the token from --token or NOVACRON_TOKEN', () => {
    assert.equal(resolveGlobals({ ...raw, token: 't1' }, { NOVACRON_TOKEN: 't2' }).token, 't1');
    assert.equal(resolveGlobals(raw, { NOVACRON_TOKEN: 't2' }).token, 't2');
    assert.equal(resolveGlobals(raw, { NOVACRON_TOKEN: '' }).token, undefined);
  });
  it('rejects a bad server URL or output format as usage errors', () => {
    assert.throws(() => resolveGlobals({ ...raw, server: 'not a url' }, {}), /--server/);
    assert.throws(() => resolveGlobals({ ...raw, server: 'ftp://x' }, {}), /--server/);
    assert.throws(() => resolveGlobals({ ...raw, output: 'yaml' }, {}), /--output/);
  });
});

describe('parseCommandArgs', () => {
  const cmd = defineCommand({
    path: ['x', 'y'],
    summary: '',
    args: '<id>',
    minArgs: 1,
    flags: { name: { type: 'string', description: '' }, role: { type: 'string', multiple: true, description: '' }, all: { type: 'boolean', description: '' } },
    run: async () => undefined,
  });
  it('parses flags and positionals', () => {
    const { flags, args } = parseCommandArgs(cmd, ['abc', '--name', 'n', '--role', 'a', '--role=b', '--all']);
    assert.deepEqual(args, ['abc']);
    assert.deepEqual(flags, { name: 'n', role: ['a', 'b'], all: true });
  });
  it('turns unknown flags and wrong argument counts into usage errors', () => {
    assert.throws(() => parseCommandArgs(cmd, ['abc', '--nope']), (e) => e instanceof UsageError && /--nope/.test(e.message));
    assert.throws(() => parseCommandArgs(cmd, []), (e) => e instanceof UsageError && /missing argument: <id>/.test(e.message));
    assert.throws(() => parseCommandArgs(cmd, ['a', 'b']), (e) => e instanceof UsageError && /unexpected argument: b/.test(e.message));
    assert.throws(() => parseCommandArgs(cmd, ['a', '--name']), UsageError);
  });
});

describe('intFlag', () => {
  it('accepts integers in bounds and names the flag otherwise', () => {
    assert.equal(intFlag({ limit: '10' }, 'limit', { min: 1, max: 1000 }), 10);
    assert.equal(intFlag({}, 'limit'), undefined);
    for (const bad of ['0', '1001', '1.5', 'abc', '']) assert.throws(() => intFlag({ limit: bad }, 'limit', { min: 1, max: 1000 }), /--limit/);
  });
});
