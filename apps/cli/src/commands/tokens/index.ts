import type { Command } from '../../registry';
import { tokensCreateCommand } from './create';
import { tokensListCommand } from './list';
import { tokensRevokeCommand } from './revoke';

/** `novacron tokens ...`. */
export const tokenCommands: Command[] = [tokensListCommand, tokensCreateCommand, tokensRevokeCommand];
