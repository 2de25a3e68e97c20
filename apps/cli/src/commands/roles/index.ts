import type { Command } from '../../registry';
import { rolesCreateCommand } from './create';
import { rolesDeleteCommand } from './delete';
import { rolesGetCommand } from './get';
import { rolesListCommand } from './list';

/** `novacron roles ...`. */
export const roleCommands: Command[] = [rolesListCommand, rolesGetCommand, rolesCreateCommand, rolesDeleteCommand];
