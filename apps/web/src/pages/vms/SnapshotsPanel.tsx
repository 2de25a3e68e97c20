import type { Vm } from '@novacron/api';
import { Badge, Group, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useCreateSnapshot, useDeleteSnapshot, useRevertSnapshot, useVmSnapshots } from '../../api/hooks/compute.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoData } from '../../components/NoData';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';

/** Take, revert and delete snapshots of a VM. */
export function SnapshotsPanel({ vm }: { vm: Vm }) {
  const snaps = useVmSnapshots(vm.id);
  const create = useCreateSnapshot();
  const revert = useRevertSnapshot();
  const del = useDeleteSnapshot();
  const [name, setName] = useState('');
  const [ram, setRam] = useState(false);
  const take = () => create.mutate({ params: { id: vm.id }, body: { name: name.trim(), includeRam: ram } }, {
    onSuccess: () => { setName(''); notifications.show({ color: 'green', message: 'Snapshot requested; it appears when the operation ends.' }); },
  });
  return (
    <Stack>
      <Group align="flex-end">
        <TextInput label="Snapshot name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Switch label="Include RAM (running VMs)" checked={ram} onChange={(e) => setRam(e.currentTarget.checked)} disabled={vm.state !== 'running'} />
        <PermissionButton permission="vm:write" tenantId={vm.tenantId} loading={create.isPending} onClick={take} disabledReason={name.trim() ? null : 'Name the snapshot first'}>
          Take snapshot
        </PermissionButton>
      </Group>
      <ErrorAlert error={create.error ?? revert.error} />
      <QueryState query={snaps}>
        {(page) => page.items.length === 0 ? <NoData title="No snapshots" /> : (
          <Table aria-label="Snapshots" striped>
            <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Contents</Table.Th><Table.Th>Taken</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {page.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td><Text size="sm" fw={500}>{s.name}</Text><Text size="xs" c="dimmed">{s.description}</Text></Table.Td>
                  <Table.Td><Badge variant="light">{s.includesRam ? 'disks + RAM' : 'disks'}</Badge> <Text span size="xs" c="dimmed">VM was {s.vmState}</Text></Table.Td>
                  <Table.Td><Text size="sm">{formatTime(s.createdAt)}</Text></Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end">
                      <ConfirmButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="light" title="Revert to snapshot" confirmLabel="Revert"
                        message={`Revert ${vm.name} to ${s.name}? Changes since then are lost.`} onConfirm={() => revert.mutateAsync({ params: { id: vm.id, snapshotId: s.id } })}
                        aria-label={`Revert to ${s.name}`}>
                        Revert
                      </ConfirmButton>
                      <ConfirmButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="subtle" color="red" title="Delete snapshot" confirmLabel="Delete snapshot"
                        message={`Delete the snapshot ${s.name}?`} onConfirm={() => del.mutateAsync({ params: { id: vm.id, snapshotId: s.id } })} aria-label={`Delete snapshot ${s.name}`}>
                        Delete
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
}
