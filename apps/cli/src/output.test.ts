import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { col, flatten, formatRecord, formatTable, formatValue, record, render, shortTime, table, text } from './output';

describe('formatTable', () => {
  it('aligns columns to the widest cell with capital headers and no trailing spaces', () => {
    const rows = [{ id: 'a', name: 'alpha', n: 1 }, { id: 'bbbb', name: 'b', n: null }];
    const out = formatTable(rows, [col('id', (r) => r.id), col('name', (r) => r.name), col('count', (r) => r.n)]);
    assert.equal(out, ['ID    NAME   COUNT', 'a     alpha  1', 'bbbb  b      -'].join('\n'));
  });
  it('prints only the header for no rows', () => {
    assert.equal(formatTable([], [col('id', () => 1), col('name', () => 2)]), 'ID  NAME');
  });
  it('counts characters, not bytes, when aligning', () => {
    const out = formatTable([{ a: '∞/1' }, { a: 'xyz' }], [col('a', (r) => r.a), col('b', () => 'end')]);
    assert.deepEqual(out.split('\n').map((l) => l.indexOf('end')), [-1, 5, 5]);
  });
});

describe('formatValue', () => {
  it('shows nothing as -, lists comma-separated and objects as JSON', () => {
    assert.equal(formatValue(null), '-');
    assert.equal(formatValue(undefined), '-');
    assert.equal(formatValue(''), '-');
    assert.equal(formatValue([]), '-');
    assert.equal(formatValue(['a', 'b']), 'a,b');
    assert.equal(formatValue({ a: 1 }), '{"a":1}');
    assert.equal(formatValue(false), 'false');
  });
  it('escapes control characters so server data cannot drive the terminal', () => {
    assert.equal(formatValue('evil\u001b[2Jname\nx'), 'evil\\x1b[2Jname\\nx');
  });
});

describe('records', () => {
  it('flattens nested objects to dotted keys and aligns them', () => {
    assert.deepEqual(flatten({ a: 1, b: { c: 2, d: { e: 3 } }, f: [1], g: {} }), [['a', 1], ['b.c', 2], ['b.d.e', 3], ['f', [1]], ['g', {}]]);
    assert.equal(formatRecord([['a', 1], ['long key', 'x']]), 'a:        1\nlong key: x');
  });
  it('shortens timestamps', () => {
    assert.equal(shortTime('2026-12-01T10:00:00.123Z'), '2026-12-01 10:00:00');
    assert.equal(shortTime(null), null);
  });
});

describe('render', () => {
  const data = { items: [{ id: 'x' }], nextCursor: null };
  it('prints the raw API JSON for --output json', () => {
    assert.deepEqual(JSON.parse(render(table(data, data.items, [col('id', (r) => r.id)]), 'json')), data);
    assert.equal(render(text(undefined, 'done'), 'json'), '');
  });
  it('prints tables, records and messages for people', () => {
    assert.equal(render(table(data, data.items, [col('id', (r) => r.id)]), 'table'), 'ID\nx\n');
    assert.equal(render(record({ a: { b: 1 } }), 'table'), 'a.b: 1\n');
    assert.equal(render(text(null, 'done'), 'table'), 'done\n');
  });
});
