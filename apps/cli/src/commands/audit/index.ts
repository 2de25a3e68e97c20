import type { Command } from '../../registry';
import { auditExportCommand } from './export';
import { auditListCommand } from './list';
import { auditVerifyCommand } from './verify';

/** `novacron audit ...`. */
export const auditCommands: Command[] = [auditListCommand, auditExportCommand, auditVerifyCommand];
