import { record, shortTime } from '../../output';
import { defineCommand } from '../../registry';
import { resolveRole } from '../../resolve';

/** `novacron roles get <id|name>`. */
export const rolesGetCommand = defineCommand({
  path: ['roles', 'get'],
  summary: 'Show one role and its permissions',
  args: '<id|name>',
  minArgs: 1,
  async run(ctx) {
    const r = await resolveRole(ctx.api, ctx.args[0]);
    return record(r, [
      ['id', r.id],
      ['name', r.name],
      ['description', r.description],
      ['builtin', r.builtin],
      ['permissions', r.permissions],
      ['created', shortTime(r.createdAt)],
      ['updated', shortTime(r.updatedAt)],
    ]);
  },
});
