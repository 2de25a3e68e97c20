import type { Vm } from '@novacron/api';
import { Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useNetworks, useVolumes } from '../../api/hooks/compute.hooks';
import { useDetachDisk, useDetachNic } from '../../api/hooks/vm-hardware.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { OperationProgress } from '../../components/OperationProgress';
import { PermissionButton } from '../../components/PermissionButton';
import { useAuth } from '../../context/auth-context';
import { AddDiskModal, AddNicModal } from './VmDeviceModals';
import { hotplugBlocked } from './vm-actions';

/** A VM's disks and NICs: add and remove them (hot-plugged when it runs), with the progress of the last change. */
export function VmHardwarePanel({ vm }: { vm: Vm }) {
  const { can } = useAuth();
  const volumes = useVolumes(can('storage:read'));
  const networks = useNetworks(can('network:read'));
  const detachDisk = useDetachDisk();
  const detachNic = useDetachNic();
  const [adding, setAdding] = useState<'disk' | 'nic' | null>(null);
  const [last, setLast] = useState<{ id: string; label: string } | null>(null);
  const blocked = hotplugBlocked(vm);
  // A disk added since the volume list was loaded (here or elsewhere) names a volume it does not have yet.
  const missing = Boolean(volumes.data) && vm.disks.some((d) => d.volumeId && !volumes.data!.items.some((x) => x.id === d.volumeId));
  const refetchVolumes = volumes.refetch;
  useEffect(() => {
    if (missing) void refetchVolumes();
  }, [missing, vm.updatedAt, refetchVolumes]);
  const volumeName = (id: string | null) => (id ? (volumes.data?.items.find((x) => x.id === id)?.name ?? id) : null);
  const networkName = (id: string) => networks.data?.items.find((n) => n.id === id || n.name === id)?.name ?? id;
  const diskName = (d: Vm['disks'][number]) => volumeName(d.volumeId) ?? d.imageId ?? d.id;

  return (
    <Card withBorder component="section" aria-label="Disks and network">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">Disks and network</Title>
          <Group gap="xs">
            <PermissionButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="default" disabledReason={blocked} onClick={() => setAdding('disk')}>Add disk</PermissionButton>
            <PermissionButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="default" disabledReason={blocked} onClick={() => setAdding('nic')}>Add NIC</PermissionButton>
          </Group>
        </Group>
        <OperationProgress id={last?.id ?? null} label={last?.label ?? ''} />
        {vm.disks.length === 0 ? <Text size="sm" c="dimmed">No disks.</Text> : (
          <Table aria-label="Disks"><Table.Thead><Table.Tr><Table.Th>Disk</Table.Th><Table.Th>Media</Table.Th><Table.Th>Size</Table.Th><Table.Th /></Table.Tr></Table.Thead><Table.Tbody>
            {vm.disks.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{diskName(d)}</Table.Td>
                <Table.Td>{d.media} ({d.bus}, {d.format}{d.readonly ? ', read-only' : ''})</Table.Td>
                <Table.Td>{d.sizeGiB ? `${d.sizeGiB} GiB` : '—'}</Table.Td>
                <Table.Td ta="right">
                  <ConfirmButton permission="vm:write" tenantId={vm.tenantId} disabledReason={blocked} size="xs" variant="subtle" color="red" title="Detach disk" confirmLabel="Detach"
                    aria-label={`Detach disk ${diskName(d)}`} message={`Detach ${diskName(d)} from ${vm.name}? Its volume is kept.`}
                    onConfirm={async () => { const op = await detachDisk.mutateAsync({ params: { id: vm.id, diskId: d.id } }); setLast({ id: op.id, label: 'Detach disk' }); }}>
                    Detach
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody></Table>
        )}
        {vm.networks.length === 0 ? <Text size="sm" c="dimmed">No network interfaces.</Text> : (
          <Table aria-label="Network interfaces"><Table.Thead><Table.Tr><Table.Th>Network</Table.Th><Table.Th>MAC</Table.Th><Table.Th>Model</Table.Th><Table.Th /></Table.Tr></Table.Thead><Table.Tbody>
            {vm.networks.map((n) => (
              <Table.Tr key={n.id}>
                <Table.Td>{networkName(n.network)}</Table.Td><Table.Td><Code>{n.mac}</Code></Table.Td><Table.Td>{n.model}</Table.Td>
                <Table.Td ta="right">
                  <ConfirmButton permission="vm:write" tenantId={vm.tenantId} disabledReason={blocked} size="xs" variant="subtle" color="red" title="Remove NIC" confirmLabel="Remove"
                    aria-label={`Remove NIC ${n.mac}`} message={`Remove the NIC ${n.mac} (${networkName(n.network)}) from ${vm.name}?`}
                    onConfirm={async () => { const op = await detachNic.mutateAsync({ params: { id: vm.id, nicId: n.id } }); setLast({ id: op.id, label: 'Remove NIC' }); }}>
                    Remove
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody></Table>
        )}
      </Stack>
      <AddDiskModal key={adding === 'disk' ? 'disk-open' : 'disk'} vm={vm} opened={adding === 'disk'} onClose={() => setAdding(null)} onStarted={(id) => setLast({ id, label: 'Add disk' })} />
      <AddNicModal key={adding === 'nic' ? 'nic-open' : 'nic'} vm={vm} opened={adding === 'nic'} onClose={() => setAdding(null)} onStarted={(id) => setLast({ id, label: 'Add NIC' })} />
    </Card>
  );
}
