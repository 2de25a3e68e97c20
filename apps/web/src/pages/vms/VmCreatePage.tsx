import { routes } from '@novacron/api';
import { Alert, Button, Card, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useCreateVm, useImages, useNetworks, useStoragePools } from '../../api/hooks/compute.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { zodFieldErrors } from '../../components/format';
import { useAuth } from '../../context/auth-context';
import { useTenantOptions } from '../admin/pickers';
import { FromTemplateCard } from './FromTemplateCard';

type BootKind = 'image' | 'iso' | 'kernel' | 'empty';

/** The create wizard: size, boot source (disk image, ISO, kernel or an empty disk), network, cloud-init, start now. */
export default function VmCreatePage() {
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const tenants = useTenantOptions();
  const images = useImages(can('image:read'));
  const networks = useNetworks(can('network:read'));
  const pools = useStoragePools(can('storage:read'));
  const create = useCreateVm();
  const [v, setV] = useState({
    name: '', description: '', tenant: me?.tenantId ?? '', vcpus: 1 as number | string, memoryMiB: 512 as number | string,
    maxVcpus: '' as number | string, maxMemoryMiB: '' as number | string,
    boot: 'image' as BootKind, image: null as string | null, kernel: null as string | null, initrd: null as string | null, cmdline: 'console=ttyS0',
    diskGiB: 10 as number | string, pool: 'default', network: 'default' as string | null, userData: '', start: true,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof typeof v>(k: K, value: (typeof v)[K]) => setV((p) => ({ ...p, [k]: value }));
  const ready = (images.data?.items ?? []).filter((i) => i.status === 'ready');
  const opts = (kind: string) => ready.filter((i) => i.kind === kind).map((i) => ({ value: i.id, label: i.name }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const disks =
      v.boot === 'image' && v.image ? [{ image: v.image, pool: v.pool, ...(v.diskGiB !== '' ? { sizeGiB: Number(v.diskGiB) } : {}) }]
      : v.boot === 'iso' && v.image ? [{ image: v.image }, { sizeGiB: Number(v.diskGiB), pool: v.pool }]
      : v.boot === 'empty' ? [{ sizeGiB: Number(v.diskGiB), pool: v.pool }]
      : [];
    const input = {
      name: v.name.trim(), description: v.description, vcpus: Number(v.vcpus), memoryMiB: Number(v.memoryMiB),
      ...(v.maxVcpus !== '' ? { maxVcpus: Number(v.maxVcpus) } : {}), ...(v.maxMemoryMiB !== '' ? { maxMemoryMiB: Number(v.maxMemoryMiB) } : {}),
      ...(v.tenant && v.tenant !== me?.tenantId ? { tenant: v.tenant } : {}),
      ...(v.boot === 'kernel' && v.kernel ? { boot: { kernelImage: v.kernel, ...(v.initrd ? { initrdImage: v.initrd } : {}), cmdline: v.cmdline } } : {}),
      ...(v.boot === 'iso' ? { boot: { order: ['cdrom', 'disk'] } } : {}),
      disks,
      networks: v.network ? [{ network: v.network }] : [],
      ...(v.userData.trim() ? { cloudInit: { userData: v.userData } } : {}),
      start: v.start,
    };
    if ((v.boot === 'image' || v.boot === 'iso') && !v.image) return setErrors({ image: 'Choose an image' });
    if (v.boot === 'kernel' && !v.kernel) return setErrors({ kernel: 'Choose a kernel' });
    const parsed = routes['vms.create'].body!.safeParse(input);
    setErrors(zodFieldErrors(parsed));
    if (!parsed.success) return;
    create.mutate({ body: parsed.data }, {
      onSuccess: (op) => {
        const vmPath = op.resources.find((r) => r.startsWith('/api/v1/vms/'));
        navigate(vmPath ? `/vms/${vmPath.split('/').pop()}` : '/operations');
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <PageHeader title="Create a virtual machine" />
        {!can('vm:write') ? <Alert color="gray">Creating VMs needs the vm:write permission.</Alert> : null}
        <FromTemplateCard />
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Card withBorder component="section" aria-label="Basics">
            <Title order={3} size="h5" mb="sm">Basics</Title>
            <Stack gap="sm">
              <TextInput label="Name" required value={v.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
              <Textarea label="Description" value={v.description} onChange={(e) => set('description', e.currentTarget.value)} />
              {tenants.options.length > 1 ? <Select label="Tenant" data={tenants.options} value={v.tenant} onChange={(t) => set('tenant', t ?? '')} allowDeselect={false} /> : null}
              <Group grow>
                <NumberInput label="vCPUs" min={1} max={64} allowDecimal={false} value={v.vcpus} onChange={(x) => set('vcpus', x)} error={errors.vcpus} />
                <NumberInput label="Memory (MiB)" min={32} step={128} allowDecimal={false} value={v.memoryMiB} onChange={(x) => set('memoryMiB', x)} error={errors.memoryMiB} />
              </Group>
              <Group grow>
                <NumberInput label="Max vCPUs (hotplug)" description="Optional: room to grow live" min={1} max={64} allowDecimal={false} value={v.maxVcpus} onChange={(x) => set('maxVcpus', x)} error={errors.maxVcpus} />
                <NumberInput label="Max memory (MiB, hotplug)" description="Optional: room to grow live" min={32} step={128} allowDecimal={false} value={v.maxMemoryMiB} onChange={(x) => set('maxMemoryMiB', x)} error={errors.maxMemoryMiB} />
              </Group>
            </Stack>
          </Card>
          <Card withBorder component="section" aria-label="Boot and disks">
            <Title order={3} size="h5" mb="sm">Boot and disks</Title>
            <Stack gap="sm">
              <SegmentedControl aria-label="Boot from" value={v.boot} onChange={(b) => { set('boot', b as BootKind); set('image', null); }}
                data={[{ value: 'image', label: 'Disk image' }, { value: 'iso', label: 'ISO' }, { value: 'kernel', label: 'Kernel' }, { value: 'empty', label: 'Empty disk' }]} />
              {v.boot === 'image' || v.boot === 'iso' ? (
                <Select label={v.boot === 'iso' ? 'ISO image' : 'Disk image'} data={opts(v.boot === 'iso' ? 'iso' : 'disk')} value={v.image} onChange={(x) => set('image', x)} error={errors.image}
                  placeholder={opts(v.boot === 'iso' ? 'iso' : 'disk').length ? 'Choose an image' : 'No ready images of this kind'} />
              ) : null}
              {v.boot === 'kernel' ? (
                <>
                  <Select label="Kernel" data={opts('kernel')} value={v.kernel} onChange={(x) => set('kernel', x)} error={errors.kernel} placeholder={opts('kernel').length ? 'Choose a kernel' : 'No kernel images'} />
                  <Select label="Initrd" data={opts('initrd')} value={v.initrd} onChange={(x) => set('initrd', x)} clearable placeholder="None" />
                  <TextInput label="Kernel command line" value={v.cmdline} onChange={(e) => set('cmdline', e.currentTarget.value)} />
                </>
              ) : null}
              {v.boot !== 'kernel' ? (
                <Group grow>
                  <NumberInput label={v.boot === 'image' ? 'Disk size (GiB, grows the image)' : 'Disk size (GiB)'} min={1} value={v.diskGiB} onChange={(x) => set('diskGiB', x)} error={errors['disks.0.sizeGiB']} />
                  <Select label="Storage pool" data={(pools.data?.items ?? []).map((p) => p.name)} value={v.pool} onChange={(x) => set('pool', x ?? 'default')} allowDeselect={false} />
                </Group>
              ) : null}
            </Stack>
          </Card>
          <Card withBorder component="section" aria-label="Network and cloud-init">
            <Title order={3} size="h5" mb="sm">Network and cloud-init</Title>
            <Stack gap="sm">
              <Select label="Network" data={(networks.data?.items ?? []).map((n) => n.name)} value={v.network} onChange={(x) => set('network', x)} clearable placeholder="No network" />
              <Textarea label="Cloud-init user data" description="Optional #cloud-config; attached as a NoCloud seed" autosize minRows={3} value={v.userData} onChange={(e) => set('userData', e.currentTarget.value)} />
            </Stack>
          </Card>
        </SimpleGrid>
        {Object.keys(errors).length ? <Text size="sm" c="red">{Object.entries(errors).map(([k, m]) => `${k}: ${m}`).join('; ')}</Text> : null}
        <ErrorAlert error={create.error} title="Could not create the VM" />
        <Group justify="flex-end">
          <Switch label="Start now" checked={v.start} onChange={(e) => set('start', e.currentTarget.checked)} />
          <Button variant="default" onClick={() => navigate('/vms')}>Cancel</Button>
          <Button type="submit" loading={create.isPending} disabled={!can('vm:write')}>Create VM</Button>
        </Group>
      </Stack>
    </form>
  );
}
