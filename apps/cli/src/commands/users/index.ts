import type { Command } from '../../registry';
import { usersCreateCommand } from './create';
import { usersDeleteCommand } from './delete';
import { usersGetCommand } from './get';
import { usersInviteCommand } from './invite';
import { usersListCommand } from './list';
import { usersRolesCommand } from './roles';
import { usersDisableCommand, usersEnableCommand } from './set-disabled';

/** `novacron users ...`. */
export const userCommands: Command[] = [
  usersListCommand, usersGetCommand, usersCreateCommand, usersInviteCommand,
  usersDisableCommand, usersEnableCommand, usersDeleteCommand, usersRolesCommand,
];
