import type { Vm } from '@novacron/api';
import { Alert, Anchor, Badge, Card, Code, Group, Modal, NumberInput, ScrollArea, SimpleGrid, Stack, Table, Tabs, Text, Textarea, Button, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useDeleteVm, useSerialLog, useUpdateVm, useVm } from '../../api/hooks/compute.hooks';
import { useOperations } from '../../api/hooks/operations.hooks';
import { problemMessage } from '../../api/problem';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoData } from '../../components/NoData';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { formatAgo, formatTime } from '../../components/format';
import { useAuth } from '../../context/auth-context';
import { SnapshotsPanel } from './SnapshotsPanel';
import { actionBlocked, actionLabel, formatMiB, runVmAction, stateColor, type VmAction } from './vm-actions';

function Actions({ vm }: { vm: Vm }) {
  const [pending, setPending] = useState<VmAction | null>(null);
  const del = useDeleteVm();
  const navigate = useNavigate();
  const run = async (a: VmAction) => {
    setPending(a);
    try {
      await runVmAction(vm.id, a);
      notifications.show({ color: 'green', message: `${actionLabel[a]} requested for ${vm.name}` });
    } catch (err) {
      notifications.show({ color: 'red', title: `${actionLabel[a]} failed`, message: problemMessage(err) });
    } finally {
      setPending(null);
    }
  };
  return (
    <Group gap="xs" aria-label="VM actions">
      {(['start', 'shutdown', 'stop', 'reboot', 'reset', 'pause', 'resume'] as const).map((a) => (
        <PermissionButton key={a} permission="vm:power" tenantId={vm.tenantId} size="xs" variant={a === 'start' ? 'filled' : 'light'}
          disabledReason={actionBlocked(vm, a)} loading={pending === a} onClick={() => void run(a)}>
          {actionLabel[a]}
        </PermissionButton>
      ))}
      <ConfirmButton permission="vm:delete" tenantId={vm.tenantId} size="xs" color="red" variant="subtle" title="Delete VM" confirmLabel="Delete VM"
        message={`Delete ${vm.name} with the disks made for it? This cannot be undone.`}
        onConfirm={async () => { await del.mutateAsync({ params: { id: vm.id } }); navigate('/vms'); }}>
        Delete
      </ConfirmButton>
    </Group>
  );
}

function EditModal({ vm, opened, onClose }: { vm: Vm; opened: boolean; onClose: () => void }) {
  const update = useUpdateVm();
  const [vcpus, setVcpus] = useState<number | string>(vm.vcpus);
  const [memory, setMemory] = useState<number | string>(vm.memoryMiB);
  const [description, setDescription] = useState(vm.description);
  const save = () => update.mutate({ params: { id: vm.id }, body: { vcpus: Number(vcpus), memoryMiB: Number(memory), description } }, { onSuccess: onClose });
  return (
    <Modal opened={opened} onClose={onClose} title={`Configure ${vm.name}`}>
      <Stack>
        {vm.state === 'running' ? <Alert color="yellow">Changes to vCPUs and memory apply at the next start.</Alert> : null}
        <NumberInput label="vCPUs" min={1} max={64} value={vcpus} onChange={setVcpus} allowDecimal={false} />
        <NumberInput label="Memory (MiB)" min={32} step={128} value={memory} onChange={setMemory} allowDecimal={false} />
        <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        <ErrorAlert error={update.error} title="Could not save" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button loading={update.isPending} onClick={save}>Save</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Overview({ vm }: { vm: Vm }) {
  const [editing, setEditing] = useState(false);
  const rows: [string, string][] = [
    ['vCPUs', String(vm.vcpus)], ['Memory', formatMiB(vm.memoryMiB)], ['Node', vm.nodeId ?? 'not placed'],
    ['Acceleration', vm.accel ?? '—'], ['Process id', vm.pid ? String(vm.pid) : '—'], ['Restart policy', vm.restartPolicy],
    ['Boot', vm.boot.kernelImage ? `kernel ${vm.boot.kernelImage}${vm.boot.cmdline ? ` (${vm.boot.cmdline})` : ''}` : vm.boot.order.join(', ')],
    ['Guest addresses', vm.guest?.ipAddresses.join(', ') || '—'], ['Cloud-init', vm.cloudInit ? 'attached' : 'none'],
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
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">Disks and network</Title>
          {vm.disks.length === 0 ? <Text size="sm" c="dimmed">No disks.</Text> : (
            <Table aria-label="Disks"><Table.Thead><Table.Tr><Table.Th>Disk</Table.Th><Table.Th>Media</Table.Th><Table.Th>Size</Table.Th></Table.Tr></Table.Thead><Table.Tbody>
              {vm.disks.map((d) => <Table.Tr key={d.id}><Table.Td>{d.volumeId ?? d.imageId ?? d.id}</Table.Td><Table.Td>{d.media} ({d.bus}, {d.format})</Table.Td><Table.Td>{d.sizeGiB ? `${d.sizeGiB} GiB` : '—'}</Table.Td></Table.Tr>)}
            </Table.Tbody></Table>
          )}
          {vm.networks.length === 0 ? <Text size="sm" c="dimmed" mt="xs">No network interfaces.</Text> : (
            <Table aria-label="Network interfaces" mt="xs"><Table.Thead><Table.Tr><Table.Th>Network</Table.Th><Table.Th>MAC</Table.Th><Table.Th>Model</Table.Th></Table.Tr></Table.Thead><Table.Tbody>
              {vm.networks.map((n) => <Table.Tr key={n.id}><Table.Td>{n.network}</Table.Td><Table.Td><Code>{n.mac}</Code></Table.Td><Table.Td>{n.model}</Table.Td></Table.Tr>)}
            </Table.Tbody></Table>
          )}
        </Card>
      </SimpleGrid>
      <EditModal key={editing ? 'open' : 'closed'} vm={vm} opened={editing} onClose={() => setEditing(false)} />
    </Stack>
  );
}

function SerialLog({ vm }: { vm: Vm }) {
  const log = useSerialLog(vm.id, true);
  return (
    <QueryState query={log}>
      {(data) => {
        return data.text ? (
          <Stack gap={4}>
            {data.truncated ? <Text size="xs" c="dimmed">Showing the most recent output.</Text> : null}
            <ScrollArea h={420} type="auto"><Code block aria-label="Serial output">{data.text}</Code></ScrollArea>
          </Stack>
        ) : <NoData title="No serial output yet" />;
      }}
    </QueryState>
  );
}

function VmOperations({ vm }: { vm: Vm }) {
  const ops = useOperations({ limit: 20, resource: `/api/v1/vms/${vm.id}` });
  return (
    <QueryState query={ops}>
      {(page) => page.items.length === 0 ? <NoData title="No operations yet" /> : (
        <Table aria-label="Operations of this VM"><Table.Tbody>
          {page.items.map((op) => (
            <Table.Tr key={op.id}>
              <Table.Td>{op.kind}</Table.Td><Table.Td><Badge variant="light">{op.status}</Badge></Table.Td>
              <Table.Td>{Math.round(op.progress)}%</Table.Td><Table.Td>{op.error ? `${op.error.code}: ${op.error.message}` : ''}</Table.Td>
              <Table.Td>{formatAgo(op.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody></Table>
      )}
    </QueryState>
  );
}

/** One VM: status, actions, configuration, snapshots, serial log and its operations. */
export default function VmDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const vm = useVm(id);
  return (
    <QueryState query={vm}>
      {(v) => (
        <Stack>
          <Anchor component={Link} to="/vms" size="sm">← Virtual machines</Anchor>
          <Group justify="space-between" align="flex-start" wrap="wrap">
            <Group gap="sm">
              <Title order={2}>{v.name}</Title>
              <Badge size="lg" color={stateColor[v.state]} variant="light" aria-label={`State: ${v.state}`}>{v.state}</Badge>
            </Group>
            <Actions vm={v} />
          </Group>
          <Tabs defaultValue="overview" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="overview">Overview</Tabs.Tab>
              <Tabs.Tab value="snapshots">Snapshots</Tabs.Tab>
              {can('vm:console', v.tenantId) ? <Tabs.Tab value="serial">Serial log</Tabs.Tab> : null}
              <Tabs.Tab value="operations">Operations</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="overview" pt="md"><Overview vm={v} /></Tabs.Panel>
            <Tabs.Panel value="snapshots" pt="md"><SnapshotsPanel vm={v} /></Tabs.Panel>
            <Tabs.Panel value="serial" pt="md"><SerialLog vm={v} /></Tabs.Panel>
            <Tabs.Panel value="operations" pt="md"><VmOperations vm={v} /></Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </QueryState>
  );
}
