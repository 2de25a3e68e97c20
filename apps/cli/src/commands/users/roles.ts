import type { RoleBinding } from '@novacron/api';
import { listFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { col, table } from '../../output';
import { defineCommand } from '../../registry';
import { resolveUserId } from '../../resolve';
import { parseBinding } from './bindings';
import { formatBinding } from './columns';

/** `novacron users roles <user> [--add B] [--remove B] [--set B]`: shows or changes a user's role bindings. */
export const usersRolesCommand = defineCommand({
  path: ['users', 'roles'],
  summary: "Show a user's role bindings, or change them with --add/--remove/--set",
  args: '<id|email>',
  minArgs: 1,
  flags: {
    add: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Add a binding' },
    remove: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Remove a binding' },
    set: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Replace every binding with these' },
    clear: { type: 'boolean', description: 'Remove every binding' },
  },
  async run(ctx) {
    const id = await resolveUserId(ctx.api, ctx.args[0]);
    const add = listFlag(ctx.flags, 'add').map(parseBinding);
    const remove = listFlag(ctx.flags, 'remove').map(parseBinding);
    const set = listFlag(ctx.flags, 'set').map(parseBinding);
    if ((set.length || ctx.flags.clear) && (add.length || remove.length)) throw new UsageError('--set/--clear exclude --add/--remove');
    let bindings: RoleBinding[];
    if (set.length || ctx.flags.clear) {
      bindings = await ctx.api.call('users.setRoles', { params: { id }, body: set });
    } else if (add.length || remove.length) {
      const current = await ctx.api.call('users.getRoles', { params: { id } });
      const key = (b: RoleBinding) => formatBinding(b);
      const removed = new Set(remove.map(key));
      const next = [...current.filter((b) => !removed.has(key(b))), ...add.filter((b) => !current.some((c) => key(c) === key(b)))];
      bindings = await ctx.api.call('users.setRoles', { params: { id }, body: next });
    } else {
      bindings = await ctx.api.call('users.getRoles', { params: { id } });
    }
    return table(bindings, bindings, [col<RoleBinding>('role', (b) => b.role), col<RoleBinding>('tenant', (b) => b.tenantId ?? '(all tenants)')]);
  },
});
