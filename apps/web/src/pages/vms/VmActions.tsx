import type { Vm } from '@novacron/api';
import { Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useDeleteVm, useUpdateVm } from '../../api/hooks/compute.hooks';
import { problemMessage } from '../../api/problem';
import { ConfirmButton } from '../../components/ConfirmButton';
import { PermissionButton } from '../../components/PermissionButton';
import { CloneVmModal } from './CloneVmModal';
import { actionBlocked, actionLabel, cloneBlocked, runVmAction, type VmAction } from './vm-actions';

/** The power, clone, template and delete buttons in a VM's header. */
export function VmActions({ vm }: { vm: Vm }) {
  const [pending, setPending] = useState<VmAction | null>(null);
  const [cloning, setCloning] = useState(false);
  const del = useDeleteVm();
  const update = useUpdateVm();
  const toggleTemplate = () => update.mutate({ params: { id: vm.id }, body: { isTemplate: !vm.isTemplate } }, {
    onSuccess: (v) => notifications.show({ color: 'green', message: v.isTemplate ? `${v.name} is now a template` : `${v.name} is no longer a template` }),
    onError: (err) => notifications.show({ color: 'red', title: 'Could not change the template flag', message: problemMessage(err) }),
  });
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
      <PermissionButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="light" disabledReason={cloneBlocked(vm)} onClick={() => setCloning(true)}>
        {vm.isTemplate ? 'New VM from template' : 'Clone'}
      </PermissionButton>
      <PermissionButton permission="vm:write" tenantId={vm.tenantId} size="xs" variant="subtle" loading={update.isPending} onClick={toggleTemplate}
        disabledReason={!vm.isTemplate && vm.state !== 'stopped' ? `Stop the VM to make it a template (it is ${vm.state}).` : null}>
        {vm.isTemplate ? 'Unmark template' : 'Mark as template'}
      </PermissionButton>
      <ConfirmButton permission="vm:delete" tenantId={vm.tenantId} size="xs" color="red" variant="subtle" title="Delete VM" confirmLabel="Delete VM"
        message={`Delete ${vm.name} with the disks made for it? This cannot be undone.`}
        onConfirm={async () => { await del.mutateAsync({ params: { id: vm.id } }); navigate('/vms'); }}>
        Delete
      </ConfirmButton>
      <CloneVmModal key={cloning ? 'open' : 'closed'} vm={vm} opened={cloning} onClose={() => setCloning(false)} />
    </Group>
  );
}
