import type { Node } from '@novacron/api';
import { col, shortTime, type Column } from '../../output';
import { formatMiB } from '../vm/columns';

/** Columns of the node table. */
export const nodeColumns: Column<Node>[] = [
  col('id', (n) => n.id),
  col('name', (n) => n.name),
  col('state', (n) => n.state),
  col('accel', (n) => n.accel),
  col('cpus', (n) => `${n.allocatedVcpus}/${n.cpus}`),
  col('memory', (n) => `${formatMiB(n.allocatedMemoryMiB)}/${formatMiB(n.memoryMiB)}`),
  col('vms', (n) => n.vms),
  col('qemu', (n) => n.qemuVersion),
  col('last seen', (n) => shortTime(n.lastSeenAt)),
];

/** Fields of one node. */
export function nodeFields(n: Node): Array<[string, unknown]> {
  return [
    ['id', n.id],
    ['name', n.name],
    ['hostname', n.hostname],
    ['state', n.state],
    ['arch', n.arch],
    ['cpu model', n.cpuModel],
    ['cpus', n.cpus],
    ['memory', formatMiB(n.memoryMiB)],
    ['kvm', n.kvm],
    ['accel', n.accel],
    ['qemu', n.qemuVersion],
    ['agent', n.agentVersion],
    ['vms', n.vms],
    ['allocated vcpus', n.allocatedVcpus],
    ['allocated memory', formatMiB(n.allocatedMemoryMiB)],
    ['disks', n.disks.map((d) => `${d.path}:${Math.round(d.availableBytes / 1024 ** 3)}/${Math.round(d.sizeBytes / 1024 ** 3)}GiB free`)],
    ['last seen', shortTime(n.lastSeenAt)],
    ['created', shortTime(n.createdAt)],
  ];
}
