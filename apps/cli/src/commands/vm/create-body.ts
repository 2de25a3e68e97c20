import { RestartPolicy, type VmCreate } from '@novacron/api';
import type { z } from 'zod';
import { intFlag, listFlag, stringFlag } from '../../args';
import { UsageError } from '../../exit-codes';
import type { FlagValues, FlagSpec } from '../../registry';

/** The body of `POST /api/v1/vms` as the CLI sends it. */
export type VmCreateBody = z.input<typeof VmCreate>;

/** Image references of `vm create` after they were resolved to ids (names are looked up before the body is built). */
export interface ResolvedImages {
  kernelImage?: string;
  initrdImage?: string;
  image?: string;
}

/** Flags of `vm create`. */
export const vmCreateFlags: Record<string, FlagSpec> = {
  name: { type: 'string', value: 'NAME', description: 'VM name (required)' },
  description: { type: 'string', value: 'TEXT', description: 'Description' },
  tenant: { type: 'string', value: 'TENANT_ID', description: 'Owning tenant (default: yours)' },
  vcpus: { type: 'string', value: 'N', description: 'Virtual CPUs (default 1)' },
  memory: { type: 'string', value: 'SIZE', description: 'Memory: MiB, or with a unit (512M, 2G; default 512M)' },
  'max-vcpus': { type: 'string', value: 'N', description: 'Room for live vCPU growth (CPU hotplug; default none)' },
  'max-memory': { type: 'string', value: 'SIZE', description: 'Room for live memory growth (DIMM hotplug; default none)' },
  'kernel-image': { type: 'string', value: 'IMAGE', description: 'Kernel image (id or name): direct kernel boot' },
  'initrd-image': { type: 'string', value: 'IMAGE', description: 'Initrd image (id or name), with --kernel-image' },
  cmdline: { type: 'string', value: 'CMDLINE', description: 'Kernel command line, with --kernel-image (e.g. "console=ttyS0")' },
  image: { type: 'string', value: 'IMAGE', description: 'Boot disk from this disk image (id or name; a linked qcow2 overlay), or an ISO as CD-ROM' },
  'full-copy': { type: 'boolean', description: 'With --image: copy the image instead of a linked overlay' },
  'disk-size': { type: 'string', value: 'GiB', description: 'With --image: grow the boot disk to this size; without: an empty disk of this size' },
  network: { type: 'string', multiple: true, value: 'NETWORK', description: 'Add a NIC on this network (name or id)' },
  label: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Label' },
  'restart-policy': { type: 'string', value: 'POLICY', description: `${RestartPolicy.options.join(', ')} (default no)` },
  start: { type: 'boolean', description: 'Start the VM once created' },
};

/** Memory in MiB from `512`, `512M`, `512MiB`, `2G` or `2GiB`. */
export function parseMemoryMiB(raw: string): number {
  const m = /^(\d+)\s*(m|mi|mib|mb|g|gi|gib|gb)?$/i.exec(raw.trim());
  if (!m) throw new UsageError(`--memory: a size such as 512, 512M or 2G, not ${raw}`);
  const n = Number(m[1]) * (m[2] && m[2][0].toLowerCase() === 'g' ? 1024 : 1);
  if (n < 32 || n > 1024 * 1024) throw new UsageError(`--memory: between 32M and 1024G, not ${raw}`);
  return n;
}

/** A size in GiB from `10` or `10G`/`10GiB`. */
export function parseSizeGiB(flag: string, raw: string): number {
  const m = /^(\d+)\s*(g|gi|gib|gb)?$/i.exec(raw.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!m || n < 1 || n > 16_384) throw new UsageError(`--${flag}: whole GiB between 1 and 16384 (10 or 10G), not ${raw}`);
  return n;
}

/** `key=value` labels (a bare `key` has an empty value). */
export function parseLabels(items: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (!key) throw new UsageError(`--label: KEY=VALUE, not ${item}`);
    labels[key] = eq < 0 ? '' : item.slice(eq + 1);
  }
  return labels;
}

/** Checks the flag combinations of `vm create` before anything is looked up. */
export function checkVmCreateFlags(flags: FlagValues): void {
  if (!stringFlag(flags, 'name')) throw new UsageError('--name is required');
  const kernel = stringFlag(flags, 'kernel-image');
  if (!kernel && (stringFlag(flags, 'initrd-image') || stringFlag(flags, 'cmdline') !== undefined)) {
    throw new UsageError('--initrd-image and --cmdline need --kernel-image');
  }
  if (flags['full-copy'] && !stringFlag(flags, 'image')) throw new UsageError('--full-copy needs --image');
  const policy = stringFlag(flags, 'restart-policy');
  if (policy !== undefined && !RestartPolicy.safeParse(policy).success) throw new UsageError(`--restart-policy: one of ${RestartPolicy.options.join(', ')}`);
}

/** Maps the flags of `vm create` (and the resolved image ids) to the request body. */
export function vmCreateBody(flags: FlagValues, images: ResolvedImages): VmCreateBody {
  checkVmCreateFlags(flags);
  const memory = stringFlag(flags, 'memory');
  const diskSize = stringFlag(flags, 'disk-size');
  const sizeGiB = diskSize === undefined ? undefined : parseSizeGiB('disk-size', diskSize);
  const disks: VmCreateBody['disks'] = [];
  if (images.image) disks.push({ image: images.image, ...(sizeGiB ? { sizeGiB } : {}), ...(flags['full-copy'] ? { linked: false } : {}) });
  else if (sizeGiB) disks.push({ sizeGiB });
  const body: VmCreateBody = {
    name: stringFlag(flags, 'name')!,
    vcpus: intFlag(flags, 'vcpus', { min: 1, max: 64 }) ?? 1,
    memoryMiB: memory === undefined ? 512 : parseMemoryMiB(memory),
    disks,
    networks: listFlag(flags, 'network').map((network) => ({ network })),
    labels: parseLabels(listFlag(flags, 'label')),
    start: flags.start === true,
  };
  const maxVcpus = intFlag(flags, 'max-vcpus', { min: 1, max: 64 });
  if (maxVcpus !== undefined) body.maxVcpus = maxVcpus;
  const maxMemory = stringFlag(flags, 'max-memory');
  if (maxMemory !== undefined) body.maxMemoryMiB = parseMemoryMiB(maxMemory);
  const description = stringFlag(flags, 'description');
  if (description !== undefined) body.description = description;
  const tenant = stringFlag(flags, 'tenant');
  if (tenant !== undefined) body.tenant = tenant;
  const policy = stringFlag(flags, 'restart-policy');
  if (policy !== undefined) body.restartPolicy = policy as VmCreateBody['restartPolicy'];
  if (images.kernelImage) {
    const cmdline = stringFlag(flags, 'cmdline');
    body.boot = {
      kernelImage: images.kernelImage,
      ...(images.initrdImage ? { initrdImage: images.initrdImage } : {}),
      ...(cmdline !== undefined ? { cmdline } : {}),
    };
  }
  return body;
}
