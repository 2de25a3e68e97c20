import { stringFlag } from '../../args';
import { CliError, ExitCode, UsageError } from '../../exit-codes';
import { operationResult, waitFlags } from '../../operation-result';
import { table } from '../../output';
import { listPages, pageFlags } from '../../pages';
import { defineCommand, type Command } from '../../registry';
import { resolveVmId } from '../../resolve-compute';
import type { ApiSession } from '../../session';
import { snapshotColumns } from './columns';

// A snapshot id from its id or its name among the VM's snapshots.
async function resolveSnapshotId(api: ApiSession, vmId: string, ref: string): Promise<string> {
  let cursor: string | undefined;
  do {
    const page = await api.call('vms.snapshots.list', { params: { id: vmId }, query: { limit: 1000, cursor } });
    const s = page.items.find((x) => x.id === ref) ?? page.items.find((x) => x.name === ref);
    if (s) return s.id;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  throw new CliError('NOT_FOUND', `no snapshot ${ref} of VM ${vmId}`, ExitCode.NOT_FOUND);
}

/** `novacron vm snapshot list <vm>`. */
export const vmSnapshotListCommand = defineCommand({
  path: ['vm', 'snapshot', 'list'],
  summary: 'Snapshots of a VM, oldest first',
  args: '<vm>',
  minArgs: 1,
  flags: pageFlags,
  async run(ctx) {
    const id = await resolveVmId(ctx.api, ctx.args[0]);
    const { data, items, note } = await listPages(ctx, (page) => ctx.api.call('vms.snapshots.list', { params: { id }, query: page }));
    return table(data, items, snapshotColumns, note);
  },
});

/** `novacron vm snapshot create <vm> --name NAME [--ram]`. */
export const vmSnapshotCreateCommand = defineCommand({
  path: ['vm', 'snapshot', 'create'],
  summary: 'Take a snapshot of a VM (the operation result names it)',
  args: '<vm>',
  minArgs: 1,
  flags: {
    name: { type: 'string', value: 'NAME', description: 'Snapshot name (required)' },
    description: { type: 'string', value: 'TEXT', description: 'Description' },
    ram: { type: 'boolean', description: 'Include RAM and device state (running VMs)' },
    ...waitFlags,
  },
  async run(ctx) {
    const name = stringFlag(ctx.flags, 'name');
    if (!name) throw new UsageError('--name is required');
    const id = await resolveVmId(ctx.api, ctx.args[0]);
    const body = { name, description: stringFlag(ctx.flags, 'description') ?? '', includeRam: ctx.flags.ram === true };
    return operationResult(ctx, await ctx.api.call('vms.snapshots.create', { params: { id }, body }));
  },
});

// revert and delete differ only in route and wording.
function snapshotAction(verb: 'revert' | 'delete', summary: string): Command {
  return defineCommand({
    path: ['vm', 'snapshot', verb],
    summary,
    args: '<vm> <snapshot>',
    minArgs: 2,
    flags: waitFlags,
    async run(ctx) {
      const id = await resolveVmId(ctx.api, ctx.args[0]);
      const snapshotId = await resolveSnapshotId(ctx.api, id, ctx.args[1]);
      const route = verb === 'revert' ? 'vms.snapshots.revert' : 'vms.snapshots.delete';
      return operationResult(ctx, await ctx.api.call(route, { params: { id, snapshotId } }));
    },
  });
}

/** `novacron vm snapshot revert <vm> <snapshot>`. */
export const vmSnapshotRevertCommand = snapshotAction('revert', 'Revert a VM to a snapshot (id or name)');
/** `novacron vm snapshot delete <vm> <snapshot>`. */
export const vmSnapshotDeleteCommand = snapshotAction('delete', 'Delete a snapshot (id or name)');

