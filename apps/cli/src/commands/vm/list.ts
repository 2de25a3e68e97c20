import { VmState } from '@novacron/api';
import { stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand, type FlagValues } from '../../registry';
import { vmColumns } from './columns';

/** The `vms.list` query for the filter flags (checked here so a typo is a usage error, not a server round trip). */
export function vmListQuery(flags: FlagValues): { state?: VmState; node?: string; label?: string; text?: string; tenant?: string; template?: 'true' | 'false' } {
  const state = stringFlag(flags, 'state');
  if (state !== undefined && !VmState.safeParse(state).success) throw new UsageError(`--state: one of ${VmState.options.join(', ')}`);
  if (flags.templates && flags['no-templates']) throw new UsageError('--templates and --no-templates exclude each other');
  return {
    state: state as VmState | undefined,
    node: stringFlag(flags, 'node'),
    label: stringFlag(flags, 'label'),
    text: stringFlag(flags, 'text'),
    tenant: stringFlag(flags, 'tenant'),
    template: flags.templates ? 'true' : flags['no-templates'] ? 'false' : undefined,
  };
}

/** `novacron vm list`. */
export const vmListCommand = defineCommand({
  path: ['vm', 'list'],
  summary: 'List VMs, newest first',
  flags: {
    state: { type: 'string', value: 'STATE', description: `Only this state: ${VmState.options.join(', ')}` },
    node: { type: 'string', value: 'NODE_ID', description: 'Only VMs placed on this node' },
    label: { type: 'string', value: 'KEY[=VALUE]', description: 'Only VMs with this label (and value)' },
    text: { type: 'string', value: 'TEXT', description: 'Only VMs whose name or description contains TEXT' },
    tenant: { type: 'string', value: 'TENANT_ID', description: 'Only VMs of this tenant' },
    templates: { type: 'boolean', description: 'Only templates' },
    'no-templates': { type: 'boolean', description: 'No templates' },
    ...pageFlags,
  },
  async run(ctx) {
    const query = vmListQuery(ctx.flags);
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('vms.list', { query: { ...page, ...query } as never }));
    return table(data, items, vmColumns, note);
  },
});
