import { intFlag } from '../../args';
import { operationResult, waitFlags } from '../../operation-result';
import { defineCommand, type Command } from '../../registry';
import { resolveVmId } from '../../resolve-compute';

type PowerRoute = 'vms.start' | 'vms.stop' | 'vms.reboot' | 'vms.reset' | 'vms.pause' | 'vms.resume';

// One command per power action: they differ only in route and wording.
function powerCommand(verb: string, route: PowerRoute, summary: string): Command {
  return defineCommand({
    path: ['vm', verb],
    summary,
    args: '<id|name>',
    minArgs: 1,
    flags: waitFlags,
    async run(ctx) {
      const op = await ctx.api.call(route, { params: { id: await resolveVmId(ctx.api, ctx.args[0]) } });
      return operationResult(ctx, op);
    },
  });
}

/** `novacron vm start|stop|reboot|reset|pause|resume <vm>`. */
export const vmPowerCommands: Command[] = [
  powerCommand('start', 'vms.start', 'Start a stopped or crashed VM'),
  powerCommand('stop', 'vms.stop', 'Stop a VM at once (like pulling the plug; see shutdown)'),
  powerCommand('reboot', 'vms.reboot', 'Ask the guest to reboot'),
  powerCommand('reset', 'vms.reset', 'Hard reset'),
  powerCommand('pause', 'vms.pause', 'Pause the vCPUs'),
  powerCommand('resume', 'vms.resume', 'Resume a paused VM'),
];

/** `novacron vm shutdown <vm> [--grace SECONDS]`. */
export const vmShutdownCommand = defineCommand({
  path: ['vm', 'shutdown'],
  summary: 'ACPI shutdown: press the power button, stop the VM hard after --grace seconds (default 60)',
  args: '<id|name>',
  minArgs: 1,
  flags: { grace: { type: 'string', value: 'SECONDS', description: 'How long the guest gets before a hard stop (0-3600, default 60)' }, ...waitFlags },
  async run(ctx) {
    const grace = intFlag(ctx.flags, 'grace', { min: 0, max: 3600 });
    const op = await ctx.api.call('vms.shutdown', { params: { id: await resolveVmId(ctx.api, ctx.args[0]) }, query: grace === undefined ? {} : { timeout: grace } } as never);
    return operationResult(ctx, op);
  },
});
