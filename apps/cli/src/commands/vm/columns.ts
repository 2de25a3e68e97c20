import type { Vm, VmSnapshot } from '@novacron/api';
import { col, shortTime, type Column } from '../../output';

/** `2 GiB` or `512 MiB`, as people read memory sizes. */
export function formatMiB(mib: number): string {
  return mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

/** `k=v` pairs of labels. */
function formatLabels(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k));
}

/** Columns of the VM table. */
export const vmColumns: Column<Vm>[] = [
  col('id', (v) => v.id),
  col('name', (v) => v.name),
  col('state', (v) => v.state),
  col('node', (v) => v.nodeId),
  col('vcpus', (v) => v.vcpus),
  col('memory', (v) => formatMiB(v.memoryMiB)),
  col('ip', (v) => v.guest?.ipAddresses ?? null),
  col('labels', (v) => formatLabels(v.labels)),
  col('created', (v) => shortTime(v.createdAt)),
];

/** Fields of one VM. */
export function vmFields(v: Vm): Array<[string, unknown]> {
  return [
    ['id', v.id],
    ['name', v.name],
    ['description', v.description],
    ['tenant', v.tenantId],
    ['node', v.nodeId],
    ['state', v.state],
    ['power state', v.powerState],
    ['vcpus', v.vcpus],
    ['memory', formatMiB(v.memoryMiB)],
    ['restart policy', v.restartPolicy],
    ['boot order', v.boot.order],
    ['kernel image', v.boot.kernelImage],
    ['initrd image', v.boot.initrdImage],
    ['cmdline', v.boot.cmdline],
    ['disks', v.disks.map((d) => `${d.id}:${d.media}/${d.bus}/${d.format}${d.sizeGiB ? `/${d.sizeGiB}GiB` : ''}`)],
    ['nics', v.networks.map((n) => `${n.id}:${n.network}/${n.mac}`)],
    ['labels', formatLabels(v.labels)],
    ['template', v.isTemplate],
    ['pending restart', v.pendingRestart],
    ['accel', v.accel],
    ['pid', v.pid],
    ['ip addresses', v.guest?.ipAddresses ?? null],
    ['error', v.error ? `${v.error.code}: ${v.error.message}` : null],
    ['state since', shortTime(v.stateSince)],
    ['created', shortTime(v.createdAt)],
  ];
}

/** Columns of the snapshot table. */
export const snapshotColumns: Column<VmSnapshot>[] = [
  col('id', (s) => s.id),
  col('name', (s) => s.name),
  col('ram', (s) => s.includesRam),
  col('vm state', (s) => s.vmState),
  col('description', (s) => s.description),
  col('created', (s) => shortTime(s.createdAt)),
];
