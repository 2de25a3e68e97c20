// The reference tables in docs/api.md and docs/rbac.md are checked against the code, so the docs cannot drift from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { errorCodes } from './errors';
import { builtinRoles, globalOnlyPermissions, permissions } from './permissions';
import { permissionDescriptions } from './resources/roles';

function table(file: string, marker: string): string[][] {
  const text = readFileSync(new URL(`../../../docs/${file}`, import.meta.url), 'utf8');
  const start = text.indexOf(`<!-- ${marker}:start -->`);
  const end = text.indexOf(`<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `${file} has the ${marker} markers`);
  return text
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

const unquote = (s: string) => s.replace(/`/g, '');

describe('reference docs', () => {
  it('docs/api.md lists every error code with its status', () => {
    const rows = table('api.md', 'error-codes');
    const documented = Object.fromEntries(rows.map(([code, status]) => [unquote(code), Number(status)]));
    assert.deepEqual(documented, { ...errorCodes });
    assert.ok(rows.every((r) => r[2].length > 10), 'every code has a meaning');
  });

  it('docs/rbac.md lists every permission with its description and scope', () => {
    const rows = table('rbac.md', 'permissions');
    assert.deepEqual(rows.map((r) => unquote(r[0])), [...permissions]);
    for (const [name, description, globalOnly] of rows) {
      const p = unquote(name) as (typeof permissions)[number];
      assert.equal(description, permissionDescriptions[p], p);
      assert.equal(globalOnly === 'yes', globalOnlyPermissions.includes(p), `${p} global only`);
    }
  });

  it('docs/rbac.md shows the built-in roles as the code defines them', () => {
    const text = readFileSync(new URL('../../../docs/rbac.md', import.meta.url), 'utf8');
    const header = text.slice(text.indexOf('<!-- roles:start -->')).split('\n')[1];
    const roles = header.split('|').slice(2, -1).map((c) => unquote(c.trim()));
    assert.deepEqual(roles, Object.keys(builtinRoles));
    for (const [name, ...marks] of table('rbac.md', 'roles')) {
      const p = unquote(name) as (typeof permissions)[number];
      roles.forEach((role, i) => assert.equal(marks[i] === '✓', builtinRoles[role].permissions.includes(p), `${role} ${p}`));
    }
  });
});
