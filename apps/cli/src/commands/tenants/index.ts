import type { Command } from '../../registry';
import { tenantsCreateCommand } from './create';
import { tenantsDeleteCommand } from './delete';
import { tenantsGetCommand } from './get';
import { tenantsListCommand } from './list';
import { tenantsUpdateCommand } from './update';

/** `novacron tenants ...`. */
export const tenantCommands: Command[] = [tenantsListCommand, tenantsGetCommand, tenantsCreateCommand, tenantsUpdateCommand, tenantsDeleteCommand];
