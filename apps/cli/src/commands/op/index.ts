import type { Command } from '../../registry';
import { opCancelCommand } from './cancel';
import { opGetCommand } from './get';
import { opListCommand } from './list';
import { opWaitCommand } from './wait';

/** `novacron op ...`: async operations. */
export const operationCommands: Command[] = [opListCommand, opGetCommand, opWaitCommand, opCancelCommand];
