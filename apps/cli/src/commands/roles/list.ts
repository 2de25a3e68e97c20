import type { Role } from '@novacron/api';
import { col, table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand } from '../../registry';

/** `novacron roles list`. */
export const rolesListCommand = defineCommand({
  path: ['roles', 'list'],
  summary: 'List built-in and custom roles',
  flags: { ...pageFlags },
  async run(ctx) {
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('roles.list', { query: page }));
    return table(data, items, [
      col<Role>('id', (r) => r.id),
      col<Role>('name', (r) => r.name),
      col<Role>('builtin', (r) => r.builtin),
      col<Role>('permissions', (r) => r.permissions.length),
      col<Role>('description', (r) => r.description),
    ], note);
  },
});
