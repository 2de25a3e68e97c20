import type { Command } from '../registry';
import { auditCommands } from './audit';
import { authCommands } from './auth';
import { groupCommands } from './groups';
import { imageCommands } from './image';
import { nodeCommands } from './node';
import { operationCommands } from './op';
import { roleCommands } from './roles';
import { settingsCommands } from './settings';
import { tenantCommands } from './tenants';
import { tokenCommands } from './tokens';
import { userCommands } from './users';
import { vmCommands } from './vm';

/**
 * Every command of the CLI. A new noun is a folder `commands/<noun>/` with one file per verb and an `index.ts`
 * exporting its list, plus one line here.
 */
export const commands: Command[] = [
  ...authCommands,
  ...userCommands,
  ...groupCommands,
  ...roleCommands,
  ...tenantCommands,
  ...auditCommands,
  ...settingsCommands,
  ...operationCommands,
  ...tokenCommands,
  ...vmCommands,
  ...imageCommands,
  ...nodeCommands,
];
