import { routes, type Quotas, type Tenant } from '@novacron/api';
import { Button, Card, Group, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import { useCreateTenant, useDeleteTenant, useTenants, useUpdateTenant } from '../../api/hooks/tenants.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { UsageBar } from '../../components/UsageBar';
import { useForm } from '../../components/use-form';

const quotaFields: { key: keyof Quotas; label: string; unit: string }[] = [
  { key: 'vms', label: 'Virtual machines', unit: '' },
  { key: 'vcpus', label: 'vCPUs', unit: '' },
  { key: 'memoryMiB', label: 'Memory', unit: ' MiB' },
  { key: 'diskGiB', label: 'Disk', unit: ' GiB' },
];

/** Creates a tenant (`tenant` null) or edits one: name, description, quotas (empty = unlimited). */
function TenantModal({ tenant, opened, onClose }: { tenant: Tenant | null; opened: boolean; onClose: () => void }) {
  const create = useCreateTenant();
  const update = useUpdateTenant();
  const mutation = tenant ? update : create;
  const initial = {
    name: tenant?.name ?? '',
    description: tenant?.description ?? '',
    vms: tenant?.quotas.vms ?? '', vcpus: tenant?.quotas.vcpus ?? '', memoryMiB: tenant?.quotas.memoryMiB ?? '', diskGiB: tenant?.quotas.diskGiB ?? '',
  } as Record<string, string | number>;
  const form = useForm(initial);
  const close = () => {
    create.reset();
    update.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = form.values;
    const quotas = Object.fromEntries(quotaFields.map(({ key }) => [key, v[key] === '' ? null : Number(v[key])]));
    const input = { name: String(v.name).trim(), description: String(v.description), quotas };
    if (tenant) {
      const body = form.validate(routes['tenants.update'].body!, input);
      if (body) update.mutate({ params: { id: tenant.id }, body }, { onSuccess: close, onError: form.fromProblem });
    } else {
      const body = form.validate(routes['tenants.create'].body!, input);
      if (body) create.mutate({ body }, { onSuccess: close, onError: form.fromProblem });
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={tenant ? `Edit ${tenant.name}` : 'Create a tenant'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required autoFocus {...form.text('name')} />
          <TextInput label="Description" {...form.text('description')} />
          <Text size="sm" fw={500}>Quotas (empty = unlimited)</Text>
          <SimpleGrid cols={2}>
            {quotaFields.map((q) => (
              <NumberInput
                key={q.key} label={`${q.label}${q.unit ? ` (${q.unit.trim()})` : ''}`} min={0} allowDecimal={false} placeholder="unlimited"
                value={form.values[q.key]} onChange={(v) => form.set(q.key, v)} error={form.errors[`quotas.${q.key}`]}
              />
            ))}
          </SimpleGrid>
          <ErrorAlert error={mutation.error} title="Could not save the tenant" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={mutation.isPending}>{tenant ? 'Save tenant' : 'Create tenant'}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Tenants with their quotas and current usage. */
export default function TenantsPage() {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 250);
  const tenants = useTenants(debounced);
  const del = useDeleteTenant();
  const [editing, setEditing] = useState<Tenant | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <PageHeader
        title="Tenants"
        description="Tenants own users and resources. Quotas cap what their resources may use."
        actions={<PermissionButton permission="tenant:admin" onClick={() => setCreating(true)}>Create tenant</PermissionButton>}
      />
      <TextInput label="Search" placeholder="Tenant name" value={text} onChange={(e) => setText(e.currentTarget.value)} w={260} />
      <QueryState query={tenants}>
        {(page) =>
          page.items.length === 0 ? (
            <NoData title="No tenants found" />
          ) : (
            <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
              {page.items.map((t) => (
                <Card key={t.id} withBorder aria-label={`Tenant ${t.name}`} component="section">
                  <Group justify="space-between" mb="xs" wrap="nowrap">
                    <div>
                      <Title order={3} size="h4">{t.name}</Title>
                      <Text size="xs" c="dimmed">{t.description || t.id} · {t.users} user{t.users === 1 ? '' : 's'}</Text>
                    </div>
                    <Group gap={4} wrap="nowrap">
                      <PermissionButton permission="tenant:admin" size="xs" variant="default" onClick={() => setEditing(t)} aria-label={`Edit ${t.name}`}>Edit</PermissionButton>
                      <ConfirmButton
                        permission="tenant:admin" size="xs" variant="subtle" color="red" aria-label={`Delete ${t.name}`}
                        disabledReason={t.users > 0 ? 'Move or delete its users first.' : null}
                        title="Delete tenant" message={`Delete the tenant ${t.name}? Tenants that own users or resources cannot be deleted.`} confirmLabel="Delete tenant"
                        onConfirm={() => del.mutateAsync({ params: { id: t.id } })}
                      >
                        Delete
                      </ConfirmButton>
                    </Group>
                  </Group>
                  <Stack gap="xs">
                    {quotaFields.map((q) => <UsageBar key={q.key} label={q.label} used={t.usage[q.key]} limit={t.quotas[q.key]} unit={q.unit} />)}
                  </Stack>
                </Card>
              ))}
            </SimpleGrid>
          )
        }
      </QueryState>
      <TenantModal key={editing?.id ?? 'new'} tenant={editing} opened={creating || !!editing} onClose={() => { setEditing(null); setCreating(false); }} />
    </Stack>
  );
}
