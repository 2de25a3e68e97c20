import type { Group } from '@novacron/api';
import type { CommandContext, FlagSpec } from '../../registry';
import { resolveTenant } from '../../resolve';
import { resolveGroup } from './resolve-group';

/** `--tenant`: picks among groups of the same name in several tenants. */
export const tenantFlag: Record<string, FlagSpec> = {
  tenant: { type: 'string', value: 'TENANT', description: 'Tenant (id or name) of the group, when a name is used by several' },
};

/** The group named by the first argument (`--tenant` narrows a name). */
export async function groupRef(ctx: CommandContext, tenantRef: string | undefined): Promise<Group> {
  const tenant = tenantRef ? (await resolveTenant(ctx.api, tenantRef)).id : undefined;
  return resolveGroup(ctx.api, ctx.args[0], tenant);
}
