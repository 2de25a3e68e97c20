import { RestartPolicy, type VmPatch } from '@novacron/api';
import type { z } from 'zod';
import { intFlag, listFlag, stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import { record } from '../../output';
import { defineCommand, type FlagValues } from '../../registry';
import { resolveVmId } from '../../resolve-compute';
import { parseLabels, parseMemoryMiB } from './create-body';
import { vmFields } from './columns';

/** The body of `PATCH /api/v1/vms/{id}` as `vm set` sends it. */
export type VmSetBody = z.input<typeof VmPatch>;

/** Maps the flags of `vm set` to the PATCH body; only what was given is sent. `none` clears a hotplug ceiling. */
export function vmSetBody(flags: FlagValues): VmSetBody {
  const body: VmSetBody = {};
  const name = stringFlag(flags, 'name');
  if (name !== undefined) body.name = name;
  const description = stringFlag(flags, 'description');
  if (description !== undefined) body.description = description;
  const vcpus = intFlag(flags, 'vcpus', { min: 1, max: 64 });
  if (vcpus !== undefined) body.vcpus = vcpus;
  const memory = stringFlag(flags, 'memory');
  if (memory !== undefined) body.memoryMiB = parseMemoryMiB(memory);
  const maxVcpus = stringFlag(flags, 'max-vcpus');
  if (maxVcpus !== undefined) body.maxVcpus = maxVcpus === 'none' ? null : intFlag(flags, 'max-vcpus', { min: 1, max: 64 });
  const maxMemory = stringFlag(flags, 'max-memory');
  if (maxMemory !== undefined) body.maxMemoryMiB = maxMemory === 'none' ? null : parseMemoryMiB(maxMemory);
  const labels = listFlag(flags, 'label');
  if (labels.length) body.labels = parseLabels(labels);
  const policy = stringFlag(flags, 'restart-policy');
  if (policy !== undefined) {
    if (!RestartPolicy.safeParse(policy).success) throw new UsageError(`--restart-policy: one of ${RestartPolicy.options.join(', ')}`);
    body.restartPolicy = policy as VmSetBody['restartPolicy'];
  }
  if (flags.template === true && flags['no-template'] === true) throw new UsageError('--template and --no-template exclude each other');
  if (flags.template === true) body.isTemplate = true;
  if (flags['no-template'] === true) body.isTemplate = false;
  if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one flag (see --help)');
  return body;
}

/** `novacron vm set <vm> [--vcpus N] [--memory SIZE] ...`: changes a VM; a running VM grows live within its ceilings. */
export const vmSetCommand = defineCommand({
  path: ['vm', 'set'],
  summary: 'Change a VM (vCPUs and memory of a running VM grow live up to --max-vcpus/--max-memory; the rest applies at the next start)',
  args: '<id|name>',
  minArgs: 1,
  flags: {
    name: { type: 'string', value: 'NAME', description: 'Rename' },
    description: { type: 'string', value: 'TEXT', description: 'Description' },
    vcpus: { type: 'string', value: 'N', description: 'Virtual CPUs' },
    memory: { type: 'string', value: 'SIZE', description: 'Memory (512M, 2G)' },
    'max-vcpus': { type: 'string', value: 'N|none', description: 'Live vCPU ceiling (applies at the next start)' },
    'max-memory': { type: 'string', value: 'SIZE|none', description: 'Live memory ceiling (applies at the next start)' },
    label: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Replace the labels with these' },
    'restart-policy': { type: 'string', value: 'POLICY', description: RestartPolicy.options.join(', ') },
    template: { type: 'boolean', description: 'Mark a stopped VM as a template' },
    'no-template': { type: 'boolean', description: 'Turn a template back into a VM' },
  },
  async run(ctx) {
    const body = vmSetBody(ctx.flags);
    const vm = await ctx.api.call('vms.update', { params: { id: await resolveVmId(ctx.api, ctx.args[0]) }, body });
    return record(vm, vmFields(vm));
  },
});
