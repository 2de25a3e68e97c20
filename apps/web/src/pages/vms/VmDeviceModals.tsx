// The dialogs that add a disk or a NIC to a VM. Each answers the operation id to the panel, which shows its progress.
import { routes, type Vm } from '@novacron/api';
import { Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useImages, useNetworks, useStoragePools, useVolumes } from '../../api/hooks/compute.hooks';
import { useAttachDisk, useAttachNic } from '../../api/hooks/vm-hardware.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { zodFieldErrors } from '../../components/format';
import { useAuth } from '../../context/auth-context';

type DiskSource = 'new' | 'volume' | 'image';
const isLive = (vm: Pick<Vm, 'state'>) => vm.state === 'running' || vm.state === 'paused';
/** Props of the add dialogs. */
type AddProps = { vm: Vm; opened: boolean; onClose: () => void; onStarted: (operationId: string) => void };

// A form in a modal with the error of the call and Cancel/submit.
function DeviceForm({ title, opened, onClose, onSubmit, error, pending, submitLabel, children }: {
  title: string; opened: boolean; onClose: () => void; onSubmit: () => void; error: unknown; pending: boolean; submitLabel: string; children: ReactNode;
}) {
  const submit = (e: FormEvent) => { e.preventDefault(); e.stopPropagation(); onSubmit(); };
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {children}
          <ErrorAlert error={error} title={`Could not ${submitLabel.toLowerCase()}`} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={pending}>{submitLabel}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Adds a disk: a new empty volume of N GiB, an existing available volume, or an image (disk images are copied, ISOs attach as CD-ROMs). */
export function AddDiskModal({ vm, opened, onClose, onStarted }: AddProps) {
  const { can } = useAuth();
  const attach = useAttachDisk();
  const pools = useStoragePools(opened && can('storage:read'));
  const volumes = useVolumes(opened && can('storage:read'));
  const images = useImages(opened && can('image:read'));
  const [source, setSource] = useState<DiskSource>('new');
  const [v, setV] = useState({ sizeGiB: 1 as number | string, pool: 'default', format: 'qcow2', bus: 'virtio', volume: null as string | null, readonly: false, image: null as string | null, linked: true });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((p) => ({ ...p, [k]: value }));
  // What can be attached here: the VM's tenant, free, and on its node (or not tied to one).
  const free = (volumes.data?.items ?? []).filter((x) => x.state === 'available' && x.tenantId === vm.tenantId && (!x.nodeId || x.nodeId === vm.nodeId));
  const usable = (images.data?.items ?? []).filter((i) => i.status === 'ready' && (i.kind === 'disk' || i.kind === 'iso'));
  // What the node can hot-plug into a running QEMU: virtio disks, no CD-ROMs (see the agent's vm.disk.attach).
  const live = isLive(vm);

  const submit = () => {
    const body =
      source === 'new' ? { sizeGiB: Number(v.sizeGiB), pool: v.pool, format: v.format, bus: live ? 'virtio' : v.bus }
      : source === 'volume' ? { volume: v.volume ?? '', bus: live ? 'virtio' : v.bus, readonly: v.readonly }
      : { image: v.image ?? '', linked: v.linked };
    if (source === 'volume' && !v.volume) return setErrors({ volume: 'Choose a volume' });
    if (source === 'image' && !v.image) return setErrors({ image: 'Choose an image' });
    const parsed = routes['vms.disks.attach'].body!.safeParse(body);
    setErrors(zodFieldErrors(parsed));
    if (!parsed.success) return;
    attach.mutate({ params: { id: vm.id }, body: parsed.data }, { onSuccess: (op) => { onStarted(op.id); onClose(); } });
  };

  return (
    <DeviceForm title={`Add a disk to ${vm.name}`} opened={opened} onClose={onClose} onSubmit={submit} error={attach.error} pending={attach.isPending} submitLabel="Add disk">
      {live ? <Text size="sm" c="dimmed">The VM is {vm.state}: the disk is hot-plugged (virtio only; attach ISOs while it is stopped).</Text> : null}
      <SegmentedControl aria-label="Disk source" value={source} onChange={(s) => { setSource(s as DiskSource); setErrors({}); }}
        data={[{ value: 'new', label: 'New volume' }, { value: 'volume', label: 'Existing volume' }, { value: 'image', label: 'Image' }]} />
      {source === 'new' ? (
        <>
          <NumberInput label="Size (GiB)" min={1} max={16384} allowDecimal={false} value={v.sizeGiB} onChange={(x) => set('sizeGiB', x)} error={errors.sizeGiB} />
          <Select label="Storage pool" data={(pools.data?.items ?? []).map((p) => p.name).concat(pools.data ? [] : ['default'])} value={v.pool} onChange={(x) => set('pool', x ?? 'default')} allowDeselect={false} />
          <Select label="Format" data={['qcow2', 'raw']} value={v.format} onChange={(x) => set('format', x ?? 'qcow2')} allowDeselect={false} />
        </>
      ) : null}
      {source === 'volume' ? (
        <>
          <Select label="Volume" data={free.map((x) => ({ value: x.id, label: `${x.name} (${x.sizeGiB} GiB)` }))} value={v.volume} onChange={(x) => set('volume', x)} error={errors.volume}
            placeholder={free.length ? 'Choose a volume' : 'No free volume of this tenant'} />
          <Switch label="Read-only" checked={v.readonly} onChange={(e) => set('readonly', e.currentTarget.checked)} />
        </>
      ) : null}
      {source === 'image' ? (
        <>
          <Select label="Image" data={usable.map((i) => ({ value: i.id, label: `${i.name} (${i.kind})`, disabled: live && i.kind === 'iso' }))} value={v.image} onChange={(x) => set('image', x)} error={errors.image}
            placeholder={usable.length ? 'Choose an image' : 'No ready disk image or ISO'} />
          <Switch label="Linked (qcow2 overlay on a disk image)" checked={v.linked} onChange={(e) => set('linked', e.currentTarget.checked)} />
        </>
      ) : null}
      {source !== 'image' ? (
        <Select label="Bus" data={['virtio', 'scsi', 'ide']} value={live ? 'virtio' : v.bus} onChange={(x) => set('bus', x ?? 'virtio')} allowDeselect={false}
          disabled={live} description={live ? 'Only virtio disks can be hot-plugged' : undefined} />
      ) : null}
    </DeviceForm>
  );
}

/** Adds a NIC on a network, with a device model (virtio for Linux guests, e1000 for guests without virtio drivers). */
export function AddNicModal({ vm, opened, onClose, onStarted }: AddProps) {
  const { can } = useAuth();
  const attach = useAttachNic();
  const networks = useNetworks(opened && can('network:read'));
  const [network, setNetwork] = useState<string | null>('default');
  const [model, setModel] = useState<'virtio-net-pci' | 'e1000'>('virtio-net-pci');
  const options = (networks.data?.items ?? []).map((n) => ({ value: n.name, label: `${n.name} (${n.driver})` }));
  const submit = () => attach.mutate({ params: { id: vm.id }, body: { network: network ?? 'default', model: isLive(vm) ? 'virtio-net-pci' : model } }, { onSuccess: (op) => { onStarted(op.id); onClose(); } });
  return (
    <DeviceForm title={`Add a NIC to ${vm.name}`} opened={opened} onClose={onClose} onSubmit={submit} error={attach.error} pending={attach.isPending} submitLabel="Add NIC">
      {isLive(vm) ? <Text size="sm" c="dimmed">The VM is {vm.state}: the NIC is hot-plugged (virtio-net-pci only).</Text> : null}
      <Select label="Network" data={options.length ? options : [{ value: 'default', label: 'default' }]} value={network} onChange={setNetwork} allowDeselect={false} />
      <Select label="Model" data={[{ value: 'virtio-net-pci', label: 'virtio-net-pci' }, { value: 'e1000', label: 'e1000', disabled: isLive(vm) }]} value={isLive(vm) ? 'virtio-net-pci' : model}
        onChange={(x) => setModel((x as typeof model) ?? 'virtio-net-pci')} allowDeselect={false} />
    </DeviceForm>
  );
}
