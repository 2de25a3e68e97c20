import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinRoles, type Permission } from '@novacron/api';
import { missingForToken } from './api-token.service';
import type { Principal } from './principal';
import { can } from './principal';
import { permissionsForToken, permissionsFromBindings, permissionsView } from './principal-loader';

const json = (p: readonly string[]) => JSON.stringify(p);
const principal = (perms: Pick<Principal, 'global' | 'byTenant'>): Principal => ({ kind: 'user', userId: 'u', email: 'u@x', tenantId: 't1', ...perms });

describe('principal permissions', () => {
  it('merges bindings: global everywhere, tenant bindings per tenant', () => {
    const p = permissionsFromBindings([
      { tenant_id: null, permissions: json(['audit:read']) },
      { tenant_id: 't1', permissions: json(['vm:read', 'vm:power']) },
      { tenant_id: 't1', permissions: json(['image:read']) },
      { tenant_id: 't2', permissions: json(['vm:read']) },
    ]);
    assert.deepEqual(permissionsView(p), { global: ['audit:read'], tenants: { t1: ['image:read', 'vm:power', 'vm:read'], t2: ['vm:read'] } });
  });

  it('never grants global-only permissions through a tenant binding', () => {
    const p = principal(permissionsFromBindings([{ tenant_id: 't1', permissions: json(builtinRoles.admin.permissions) }]));
    assert.equal(can(p, 'node:admin'), false, 'a tenant admin must not pass a route check for node administration');
    assert.equal(can(p, 'settings:write'), false);
    assert.equal(can(p, 'vm:delete', 't1'), true);
  });

  it('drops unknown permission strings and bad JSON', () => {
    const p = permissionsFromBindings([{ tenant_id: null, permissions: json(['vm:read', 'root:everything']) }, { tenant_id: 't9', permissions: 'not json' }]);
    assert.deepEqual(permissionsView(p), { global: ['vm:read'], tenants: {} });
  });

  it('limits a token to its role on its scope, intersected with the owner', () => {
    const owner = permissionsFromBindings([
      { tenant_id: null, permissions: json(['vm:read']) },
      { tenant_id: 't1', permissions: json(['vm:power', 'image:write']) },
    ]);
    const role: Permission[] = ['vm:read', 'vm:power', 'vm:delete'];
    assert.deepEqual(permissionsView(permissionsForToken(owner, role, null)), { global: ['vm:read'], tenants: { t1: ['vm:power'] } });
    assert.deepEqual(permissionsView(permissionsForToken(owner, role, 't1')), { global: [], tenants: { t1: ['vm:power', 'vm:read'] } });
    assert.deepEqual(permissionsView(permissionsForToken(owner, role, 't2')), { global: [], tenants: { t2: ['vm:read'] } });
  });

  it('finds what a token role would escalate', () => {
    const op = principal(permissionsFromBindings([{ tenant_id: 't1', permissions: json(builtinRoles.operator.permissions) }]));
    assert.deepEqual(missingForToken(op, [...builtinRoles.viewer.permissions], 't1'), []);
    assert.deepEqual(missingForToken(op, ['vm:read'], 't2'), ['vm:read']);
    assert.deepEqual(missingForToken(op, ['vm:read'], null), ['vm:read']);
    assert.deepEqual(missingForToken(op, ['audit:read', 'vm:read'], 't1'), ['audit:read']);
    const tenantAdmin = principal(permissionsFromBindings([{ tenant_id: 't1', permissions: json(builtinRoles.admin.permissions) }]));
    assert.deepEqual(missingForToken(tenantAdmin, [...builtinRoles.admin.permissions], 't1'), [], 'global-only permissions are not asked for on a tenant');
  });
});
