import { routes, type Operation, type Vm } from '@novacron/api';
import { Button, Group, Modal, SegmentedControl, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useCloneVm } from '../../api/hooks/compute.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OperationProgress } from '../../components/OperationProgress';
import { zodFieldErrors } from '../../components/format';

/** Clones a stopped VM or a template: name, full copy or linked overlay, start after; follows the operation, then opens the new VM. */
export function CloneVmModal({ vm, opened, onClose }: { vm: Pick<Vm, 'id' | 'name' | 'isTemplate'>; opened: boolean; onClose: () => void }) {
  const clone = useCloneVm();
  const navigate = useNavigate();
  const [name, setName] = useState(vm.isTemplate ? '' : `${vm.name}-clone`);
  // Linked clones are the quick way to stamp out VMs from a template; a full copy is independent of its source.
  const [mode, setMode] = useState<'full' | 'linked'>(vm.isTemplate ? 'linked' : 'full');
  const [start, setStart] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [opId, setOpId] = useState<string | null>(null);
  const title = vm.isTemplate ? `New VM from template ${vm.name}` : `Clone ${vm.name}`;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The dialog may be opened from inside another form (the create wizard): React bubbles submit through portals.
    e.stopPropagation();
    const parsed = routes['vms.clone'].body!.safeParse({ name: name.trim(), linked: mode === 'linked', start });
    setErrors(zodFieldErrors(parsed));
    if (!parsed.success) return;
    clone.mutate({ params: { id: vm.id }, body: parsed.data }, { onSuccess: (op) => { setFailed(false); setOpId(op.id); } });
  };
  const done = useCallback((op: Operation) => {
    const vmId = (op.result as { vmId?: string } | null)?.vmId;
    if (op.status !== 'succeeded') setFailed(true);
    else if (vmId) {
      onClose();
      navigate(`/vms/${vmId}`);
    }
  }, [navigate, onClose]);
  const [failed, setFailed] = useState(false);
  // Running from the 202 until the operation ends; a failed clone can be corrected and tried again.
  const running = opId !== null && !failed;

  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name of the new VM" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus disabled={running} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="clone-mode-label">Disks</Text>
            <SegmentedControl aria-labelledby="clone-mode-label" value={mode} onChange={(m) => setMode(m as 'full' | 'linked')} disabled={running}
              data={[{ value: 'full', label: 'Full copy' }, { value: 'linked', label: 'Linked clone' }]} />
            <Text size="xs" c="dimmed">
              {mode === 'linked' ? 'A qcow2 overlay on the source disks: fast and small, but the source cannot be deleted while clones use it.' : 'Copies every disk: slower, independent of the source.'}
            </Text>
          </Stack>
          <Switch label="Start after cloning" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} disabled={running} />
          <ErrorAlert error={clone.error} title="Could not clone" />
          <OperationProgress id={opId} label="Clone" onDone={done} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{running ? 'Close' : 'Cancel'}</Button>
            <Button type="submit" loading={clone.isPending || running} disabled={running}>Clone</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
