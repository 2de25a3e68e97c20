import type { Vm } from '@novacron/api';
import { Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useDeleteVm } from '../../api/hooks/compute.hooks';
import { problemMessage } from '../../api/problem';
import { ConfirmButton } from '../../components/ConfirmButton';
import { PermissionButton } from '../../components/PermissionButton';
import { actionBlocked, actionLabel, runVmAction, type VmAction } from './vm-actions';

/** The power and delete buttons in a VM's header. */
export function VmActions({ vm }: { vm: Vm }) {
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
