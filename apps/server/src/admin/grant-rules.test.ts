import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Permission } from '@novacron/api';
import type { Principal } from '../auth/principal';
import { heldOn, mayGrant, missingGlobally } from './grant-rules';

function principal(global: Permission[], byTenant: Record<string, Permission[]> = {}): Principal {
  return {
    kind: 'user', userId: 'u', email: 'u@example.com', tenantId: 't1',
    global: new Set(global),
    byTenant: new Map(Object.entries(byTenant).map(([t, ps]) => [t, new Set(ps)])),
  };
}

describe('grant rules', () => {
  it('merges global and tenant permissions for a tenant, only global ones for null', () => {
    const p = principal(['vm:read'], { t1: ['vm:write'] });
    assert.deepEqual([...heldOn(p, 't1')].sort(), ['vm:read', 'vm:write']);
    assert.deepEqual([...heldOn(p, null)], ['vm:read']);
    assert.deepEqual([...heldOn(p, 't2')], ['vm:read']);
  });

  it('lets a global user admin grant global roles within what it holds', () => {
    const p = principal(['user:admin', 'vm:read', 'vm:write']);
    assert.equal(mayGrant(p, { permissions: ['vm:read'], tenantId: null }), true);
    assert.equal(mayGrant(p, { permissions: ['vm:read', 'vm:write'], tenantId: 't9' }), true);
    assert.equal(mayGrant(p, { permissions: ['vm:delete'], tenantId: null }), false);
  });

  it('keeps a tenant user admin inside its tenant and its own permissions there', () => {
    const p = principal([], { t1: ['user:admin', 'vm:read', 'vm:power'] });
    assert.equal(mayGrant(p, { permissions: ['vm:read', 'vm:power'], tenantId: 't1' }), true);
    assert.equal(mayGrant(p, { permissions: ['vm:read'], tenantId: null }), false, 'no global grants');
    assert.equal(mayGrant(p, { permissions: ['vm:read'], tenantId: 't2' }), false, 'no other tenants');
    assert.equal(mayGrant(p, { permissions: ['vm:delete'], tenantId: 't1' }), false, 'nothing wider than held');
  });

  it('judges a tenant binding by what it grants there: global-only permissions do not count', () => {
    const p = principal([], { t1: ['user:admin', 'vm:read'] });
    assert.equal(mayGrant(p, { permissions: ['vm:read', 'node:admin', 'settings:write'], tenantId: 't1' }), true);
    assert.equal(mayGrant(p, { permissions: ['vm:read', 'node:admin'], tenantId: null }), false);
  });

  it('refuses anyone without user:admin where the binding applies', () => {
    const p = principal(['vm:read'], { t1: ['vm:read'] });
    assert.equal(mayGrant(p, { permissions: [], tenantId: 't1' }), false);
    assert.equal(mayGrant(p, { permissions: [], tenantId: null }), false);
  });

  it('names the permissions a role editor lacks globally', () => {
    const p = principal(['role:admin', 'vm:read'], { t1: ['vm:write'] });
    assert.deepEqual(missingGlobally(p, ['vm:read', 'vm:write']), ['vm:write']);
  });
});
