// The real `novacron` process against a real server: groups, their members and role bindings.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { createUser, type TestUser } from '../../server/src/testing/test-users';
import { runCli, runCliJson } from './testing/run-cli';

let srv: TestServer;
let home: string;
let token: string;

const novacron = (args: string[]) => runCli(args, { home, url: srv.url, token });
const json = (args: string[]) => runCliJson(args, { home, url: srv.url, token });

before(async () => {
  srv = await startTestServer();
  token = (await srv.admin()).token;
  home = mkdtempSync(join(tmpdir(), 'novacron-cli-groups-'));
});
after(async () => {
  await srv?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('novacron groups against a real server', () => {
  let member: TestUser;
  let tenantId: string;

  it('creates a tenant group, binds a role, adds a member who then holds it, and takes it away', async () => {
    tenantId = (await json(['tenants', 'create', 'acme'])).id;
    member = await createUser(srv, { tenant: 'acme' });
    const group = await json(['groups', 'create', 'ops', '--tenant', 'acme', '--description', 'Operations']);
    assert.equal(group.tenantId, tenantId);
    const roles = await json(['groups', 'roles', 'ops', '--add', `viewer@${tenantId}`]);
    assert.deepEqual(roles, [{ role: 'viewer', tenantId }]);
    const added = await json(['groups', 'add-member', 'ops', member.email]);
    assert.equal(added.id, member.user.id);
    assert.ok((await member.client.call('auth.me', {})).permissions.tenants[tenantId].includes('vm:read'));

    const table = await novacron(['groups', 'list', '--tenant', 'acme']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, new RegExp(`^\\S+ +ops +${tenantId} +1 +viewer@${tenantId} +Operations *$`, 'm'));
    const members = await json(['groups', 'members', 'ops']);
    assert.deepEqual(members.items.map((m: { email: string }) => m.email), [member.email]);

    const removed = await novacron(['groups', 'remove-member', 'ops', member.email]);
    assert.equal(removed.code, 0, removed.err);
    assert.equal((await member.client.call('auth.me', {})).permissions.tenants[tenantId], undefined);
  });

  it('asks for the tenant when a name is used twice, and deletes', async () => {
    await json(['groups', 'create', 'ops']);
    const ambiguous = await novacron(['groups', 'get', 'ops']);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.err, /error AMBIGUOUS: 2 groups are named ops/);
    assert.equal((await json(['groups', 'get', 'ops', '--tenant', 'acme'])).tenantId, tenantId);
    const refused = await novacron(['groups', 'roles', 'ops', '--tenant', 'acme', '--set', 'viewer']);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^error VALIDATION_FAILED: /);
    assert.equal((await novacron(['groups', 'delete', 'ops', '--tenant', 'acme'])).code, 0);
    assert.equal((await json(['groups', 'get', 'ops'])).tenantId, null);
    assert.equal((await novacron(['groups', 'members', 'no-such-group'])).code, 4);
  });
});
