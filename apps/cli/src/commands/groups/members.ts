import { stringFlag } from '../../args';
import { table, text } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand, type CommandContext } from '../../registry';
import { resolveUserId } from '../../resolve';
import { memberColumns } from './columns';
import { groupRef, tenantFlag } from './group-flags';

/** `novacron groups members <group>`. */
export const groupsMembersCommand = defineCommand({
  path: ['groups', 'members'],
  summary: 'List the members of a group',
  args: '<id|name>',
  minArgs: 1,
  maxArgs: 1,
  flags: { ...tenantFlag, ...pageFlags },
  async run(ctx) {
    const group = await groupRef(ctx, stringFlag(ctx.flags, 'tenant'));
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('groups.members', { params: { id: group.id }, query: page }));
    return table(data, items, memberColumns, note);
  },
});

// `<group> <user>` of add-member and remove-member, both looked up (the group within --tenant when given).
async function groupAndUser(ctx: CommandContext) {
  return { group: await groupRef(ctx, stringFlag(ctx.flags, 'tenant')), userId: await resolveUserId(ctx.api, ctx.args[1]) };
}

/** `novacron groups add-member <group> <user>`. */
export const groupsAddMemberCommand = defineCommand({
  path: ['groups', 'add-member'],
  summary: "Add a user to a group (they gain the group's role bindings at once)",
  args: '<group id|name> <user id|email>',
  minArgs: 2,
  maxArgs: 2,
  flags: { ...tenantFlag },
  async run(ctx) {
    const { group, userId } = await groupAndUser(ctx);
    const member = await ctx.api.call('groups.addMember', { params: { id: group.id, userId } });
    return text(member, `Added ${member.email} to group ${group.name}`);
  },
});

/** `novacron groups remove-member <group> <user>`. */
export const groupsRemoveMemberCommand = defineCommand({
  path: ['groups', 'remove-member'],
  summary: "Remove a user from a group (they lose the group's role bindings at once)",
  args: '<group id|name> <user id|email>',
  minArgs: 2,
  maxArgs: 2,
  flags: { ...tenantFlag },
  async run(ctx) {
    const { group, userId } = await groupAndUser(ctx);
    await ctx.api.call('groups.removeMember', { params: { id: group.id, userId } });
    return text(undefined, `Removed ${ctx.args[1]} from group ${group.name}`);
  },
});
