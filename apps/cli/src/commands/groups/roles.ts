import type { RoleBinding } from '@novacron/api';
import { listFlag, stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { col, table } from '../../output';
import { defineCommand } from '../../registry';
import { parseBinding } from '../users/bindings';
import { formatBinding } from '../users/columns';
import { groupRef, tenantFlag } from './group-flags';

/** `novacron groups roles <group> [--add B] [--remove B] [--set B]`: shows or changes a group's role bindings. */
export const groupsRolesCommand = defineCommand({
  path: ['groups', 'roles'],
  summary: "Show a group's role bindings, or change them with --add/--remove/--set (every member gains them)",
  args: '<id|name>',
  minArgs: 1,
  maxArgs: 1,
  flags: {
    ...tenantFlag,
    add: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Add a binding' },
    remove: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Remove a binding' },
    set: { type: 'string', multiple: true, value: 'ROLE[@TENANT_ID]', description: 'Replace every binding with these' },
    clear: { type: 'boolean', description: 'Remove every binding' },
  },
  async run(ctx) {
    const add = listFlag(ctx.flags, 'add').map(parseBinding);
    const remove = listFlag(ctx.flags, 'remove').map(parseBinding);
    const set = listFlag(ctx.flags, 'set').map(parseBinding);
    if ((set.length || ctx.flags.clear) && (add.length || remove.length)) throw new UsageError('--set/--clear exclude --add/--remove');
    const { id } = await groupRef(ctx, stringFlag(ctx.flags, 'tenant'));
    let bindings: RoleBinding[];
    if (set.length || ctx.flags.clear) {
      bindings = await ctx.api.call('groups.setRoles', { params: { id }, body: set });
    } else if (add.length || remove.length) {
      const current = await ctx.api.call('groups.getRoles', { params: { id } });
      const removed = new Set(remove.map(formatBinding));
      const next = [...current.filter((b) => !removed.has(formatBinding(b))), ...add.filter((b) => !current.some((c) => formatBinding(c) === formatBinding(b)))];
      bindings = await ctx.api.call('groups.setRoles', { params: { id }, body: next });
    } else {
      bindings = await ctx.api.call('groups.getRoles', { params: { id } });
    }
    return table(bindings, bindings, [col<RoleBinding>('role', (b) => b.role), col<RoleBinding>('tenant', (b) => b.tenantId ?? '(all tenants)')]);
  },
});
