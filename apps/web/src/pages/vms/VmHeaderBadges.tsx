import type { Vm } from '@novacron/api';
import { Badge, Group } from '@mantine/core';

/** Beside a VM's name: whether it is a template, and its labels. */
export function VmHeaderBadges({ vm }: { vm: Pick<Vm, 'isTemplate' | 'labels'> }) {
  const labels = Object.entries(vm.labels);
  if (!vm.isTemplate && labels.length === 0) return null;
  return (
    <Group gap={4} aria-label="Labels">
      {vm.isTemplate ? <Badge size="lg" variant="outline" color="grape">template</Badge> : null}
      {labels.map(([k, v]) => <Badge key={k} variant="default" tt="none" aria-label={`Label ${k}`}>{v ? `${k}=${v}` : k}</Badge>)}
    </Group>
  );
}
