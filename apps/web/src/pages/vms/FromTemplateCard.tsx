import { Card, Group, Select, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useVms } from '../../api/hooks/compute.hooks';
import { PermissionButton } from '../../components/PermissionButton';
import { CloneVmModal } from './CloneVmModal';

/** In the create wizard: VMs are made from a template by cloning it, so this picks a template and opens the clone dialog. */
export function FromTemplateCard() {
  const templates = useVms({ template: 'true', limit: 100 });
  const [chosen, setChosen] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const items = templates.data?.items ?? [];
  const template = items.find((t) => t.id === chosen);
  if (!items.length) return null;
  return (
    <Card withBorder component="section" aria-label="From a template">
      <Title order={3} size="h5" mb="xs">From a template</Title>
      <Text size="sm" c="dimmed" mb="sm">A copy (or linked clone) of a template, with its disks, NICs and size. Or fill in the form below for a new VM.</Text>
      <Group align="flex-end">
        <Select label="Template" data={items.map((t) => ({ value: t.id, label: t.name }))} value={chosen} onChange={setChosen} placeholder="Choose a template" w={260} />
        <PermissionButton permission="vm:write" tenantId={template?.tenantId} variant="light" disabledReason={template ? null : 'Choose a template first'} onClick={() => setOpen(true)}>
          New VM from template
        </PermissionButton>
      </Group>
      {template ? <CloneVmModal key={`${template.id}-${open}`} vm={template} opened={open} onClose={() => setOpen(false)} /> : null}
    </Card>
  );
}
