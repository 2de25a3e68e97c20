import { stringFlag } from '../../args';
import { record } from '../../output';
import { defineCommand } from '../../registry';
import { groupFields } from './columns';
import { groupRef, tenantFlag } from './group-flags';

/** `novacron groups get <group>`. */
export const groupsGetCommand = defineCommand({
  path: ['groups', 'get'],
  summary: 'Show one group with its role bindings',
  args: '<id|name>',
  minArgs: 1,
  maxArgs: 1,
  flags: { ...tenantFlag },
  async run(ctx) {
    const g = await groupRef(ctx, stringFlag(ctx.flags, 'tenant'));
    return record(g, groupFields(g));
  },
});
