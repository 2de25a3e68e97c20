import type { Command } from '../../registry';
import { settingsGetCommand } from './get';
import { settingsSetCommand } from './set';

/** `novacron settings ...`. */
export const settingsCommands: Command[] = [settingsGetCommand, settingsSetCommand];
