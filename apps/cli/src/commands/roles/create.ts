import { listFlag, stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand } from '../../registry';

/** `novacron roles create <name> --permission P...`. */
export const rolesCreateCommand = defineCommand({
  path: ['roles', 'create'],
  summary: 'Create a custom role',
  args: '<name>',
  minArgs: 1,
  flags: {
    permission: { type: 'string', short: 'p', multiple: true, value: 'PERMISSION', description: 'A permission such as vm:read (comma-separated lists work too)' },
    description: { type: 'string', value: 'TEXT', description: 'What the role is for' },
  },
  async run(ctx) {
    const permissions = listFlag(ctx.flags, 'permission').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
    if (!permissions.length) throw new UsageError('at least one --permission is required');
    const role = await ctx.api.call('roles.create', {
      body: { name: ctx.args[0], description: stringFlag(ctx.flags, 'description'), permissions: permissions as never },
    });
    return record(role, [['id', role.id], ['name', role.name], ['description', role.description], ['permissions', role.permissions]]);
  },
});
