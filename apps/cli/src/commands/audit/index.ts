import type { Command } from '../../registry';
import { auditListCommand } from './list';
import { auditVerifyCommand } from './verify';

/** `novacron audit ...`. */
export const auditCommands: Command[] = [auditListCommand, auditVerifyCommand];
