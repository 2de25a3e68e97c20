import type { Vm } from '@novacron/api';
import { Alert, Button, Card, Group, Modal, NumberInput, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useUpdateVm } from '../../api/hooks/compute.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PermissionButton } from '../../components/PermissionButton';
import { formatTime } from '../../components/format';
import { LabelsEditor, labelRows, rowsToLabels } from './LabelsEditor';
import { VmHardwarePanel } from './VmHardwarePanel';
import { formatMiB } from './vm-actions';

// Changes to vCPUs and memory (a running VM grows live within its hotplug ceilings), the ceilings themselves (next start), description and labels.
function EditModal({ vm, opened, onClose }: { vm: Vm; opened: boolean; onClose: () => void }) {
  const update = useUpdateVm();
  const [vcpus, setVcpus] = useState<number | string>(vm.vcpus);
  const [memory, setMemory] = useState<number | string>(vm.memoryMiB);
  const [maxVcpus, setMaxVcpus] = useState<number | string>(vm.maxVcpus ?? '');
  const [maxMemory, setMaxMemory] = useState<number | string>(vm.maxMemoryMiB ?? '');
  const [description, setDescription] = useState(vm.description);
  const [labels, setLabels] = useState(() => labelRows(vm.labels));
  const [labelError, setLabelError] = useState<string | null>(null);
  const save = () => {
    const parsed = rowsToLabels(labels);
    setLabelError('error' in parsed ? parsed.error : null);
    if ('error' in parsed) return;
    update.mutate({ params: { id: vm.id }, body: {
      vcpus: Number(vcpus), memoryMiB: Number(memory), maxVcpus: maxVcpus === '' ? null : Number(maxVcpus),
      maxMemoryMiB: maxMemory === '' ? null : Number(maxMemory), description, labels: parsed.labels,
    } }, { onSuccess: onClose });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Configure ${vm.name}`}>
      <Stack>
        {vm.state === 'running' ? (
          <Alert color="yellow">vCPUs and memory change live up to the hotplug maxima the VM started with; anything else applies at the next start.</Alert>
        ) : null}
        <Group grow>
          <NumberInput label="vCPUs" min={1} max={64} value={vcpus} onChange={setVcpus} allowDecimal={false} />
          <NumberInput label="Memory (MiB)" min={32} step={128} value={memory} onChange={setMemory} allowDecimal={false} />
        </Group>
        <Group grow>
          <NumberInput label="Max vCPUs (hotplug)" description="Empty: no live growth" min={1} max={64} value={maxVcpus} onChange={setMaxVcpus} allowDecimal={false} />
          <NumberInput label="Max memory (MiB, hotplug)" description="Empty: no live growth" min={32} step={128} value={maxMemory} onChange={setMaxMemory} allowDecimal={false} />
        </Group>
        <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <LabelsEditor rows={labels} onChange={setLabels} error={labelError} />
        <ErrorAlert error={update.error} title="Could not save" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button loading={update.isPending} onClick={save}>Save</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A VM's configuration and labels (with an edit dialog), and its disks and network interfaces. */
export function VmOverviewPanel({ vm }: { vm: Vm }) {
  const [editing, setEditing] = useState(false);
  const rows: [string, string][] = [
    ['vCPUs', vm.maxVcpus ? `${vm.vcpus} (up to ${vm.maxVcpus} live)` : String(vm.vcpus)],
    ['Memory', vm.maxMemoryMiB ? `${formatMiB(vm.memoryMiB)} (up to ${formatMiB(vm.maxMemoryMiB)} live)` : formatMiB(vm.memoryMiB)],
    ['Node', vm.nodeId ?? 'not placed'],
    ['Acceleration', vm.accel ?? '—'], ['Process id', vm.pid ? String(vm.pid) : '—'], ['Restart policy', vm.restartPolicy],
    ['Boot', vm.boot.kernelImage ? `kernel ${vm.boot.kernelImage}${vm.boot.cmdline ? ` (${vm.boot.cmdline})` : ''}` : vm.boot.order.join(', ')],
    ['Guest addresses', vm.guest?.ipAddresses.join(', ') || (vm.state === 'running' ? 'no guest agent answers' : '—')],
    ['Guest OS', vm.guest?.os ?? '—'], ['Cloud-init', vm.cloudInit ? 'attached' : 'none'],
    ['Template', vm.isTemplate ? 'yes (clone it to run it)' : 'no'],
    ['Created', formatTime(vm.createdAt)], ['In this state since', formatTime(vm.stateSince)],
  ];
  return (
    <Stack>
      {vm.error ? <Alert color="red" title={vm.error.code}>{vm.error.message}</Alert> : null}
      {vm.pendingRestart ? <Alert color="yellow">Configuration changes apply at the next start.</Alert> : null}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h5">Configuration</Title>
            <PermissionButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="default" onClick={() => setEditing(true)}>Edit</PermissionButton>
          </Group>
          <Table aria-label="Configuration"><Table.Tbody>
            {rows.map(([k, v]) => <Table.Tr key={k}><Table.Th w={170}>{k}</Table.Th><Table.Td>{v}</Table.Td></Table.Tr>)}
          </Table.Tbody></Table>
          {vm.description ? <Text size="sm" mt="xs">{vm.description}</Text> : null}
        </Card>
        <VmHardwarePanel vm={vm} />
      </SimpleGrid>
      <EditModal key={editing ? 'open' : 'closed'} vm={vm} opened={editing} onClose={() => setEditing(false)} />
    </Stack>
  );
}
