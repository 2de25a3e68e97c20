import type { Command } from '../../registry';
import { groupsCreateCommand } from './create';
import { groupsDeleteCommand } from './delete';
import { groupsGetCommand } from './get';
import { groupsListCommand } from './list';
import { groupsAddMemberCommand, groupsMembersCommand, groupsRemoveMemberCommand } from './members';
import { groupsRolesCommand } from './roles';

/** `novacron groups ...`. */
export const groupCommands: Command[] = [
  groupsListCommand, groupsGetCommand, groupsCreateCommand, groupsDeleteCommand,
  groupsMembersCommand, groupsAddMemberCommand, groupsRemoveMemberCommand, groupsRolesCommand,
];
