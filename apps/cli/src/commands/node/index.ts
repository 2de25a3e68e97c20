import type { Command } from '../../registry';
import { nodeJoinTokenCreateCommand } from './join-token';
import { nodeGetCommand, nodeListCommand } from './list';

/** `novacron node ...`: hypervisor nodes. */
export const nodeCommands: Command[] = [nodeListCommand, nodeGetCommand, nodeJoinTokenCreateCommand];
