import { routes } from '@novacron/api';
import { Alert, Button, Code, CopyButton, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useCreateToken, useRevokeToken, useTokens } from '../../api/hooks/tokens.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { DialogActions } from '../../components/DialogActions';
import { NoData } from '../../components/NoData';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { formatAgo, formatTime } from '../../components/format';
import { useDialogForm } from '../../components/use-dialog-form';
import { useAuth } from '../../context/auth-context';
import { useRoleOptions, useTenantOptions } from '../admin/pickers';

const ALL = '__all__';

function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const roles = useRoleOptions();
  const tenants = useTenantOptions();
  const create = useCreateToken();
  const { me } = useAuth();
  // A user whose roles are all tenant-bound cannot mint a token for every tenant: default to the home tenant.
  const initial = { name: '', role: 'viewer', tenantId: me?.permissions.global.length ? ALL : (me?.tenantId ?? ALL), expiresInDays: 90 as number | string };
  const { form, close } = useDialogForm(initial, create, onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = form.values;
    const body = form.validate(routes['tokens.create'].body!, {
      name: v.name.trim(), role: v.role,
      ...(v.tenantId !== ALL ? { tenantId: v.tenantId } : {}),
      ...(v.expiresInDays !== '' ? { expiresInDays: Number(v.expiresInDays) } : {}),
    });
    if (body) create.mutate({ body }, { onError: form.fromProblem });
  };
  return (
    <Modal opened={opened} onClose={close} title="Create an API token">
      {create.data ? (
        <Stack>
          <Alert color="green" title="Token created">Copy the token now: it is not shown again. Send it as <Code>Authorization: Bearer …</Code>.</Alert>
          <Code block aria-label="New API token">{create.data.secret}</Code>
          <Group justify="flex-end">
            <CopyButton value={create.data.secret}>{({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy token'}</Button>}</CopyButton>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label="Token name" description="What uses it, e.g. backup script" required autoFocus {...form.text('name')} />
            <Select label="Role" description="No wider than your own" data={roles.options.length ? roles.options : [{ value: form.values.role, label: form.values.role }]}
              value={form.values.role} onChange={(v) => form.set('role', v ?? '')} error={form.errors.role} allowDeselect={false} />
            <Select label="Scope" data={[{ value: ALL, label: 'Every tenant I can reach' }, ...tenants.options]} value={form.values.tenantId} onChange={(v) => form.set('tenantId', v ?? ALL)} allowDeselect={false} />
            <NumberInput label="Expires after (days)" description="Empty: never" min={1} max={3650} allowDecimal={false} value={form.values.expiresInDays} onChange={(v) => form.set('expiresInDays', v)} error={form.errors.expiresInDays} />
            <DialogActions error={create.error} errorTitle="Could not create the token" onCancel={close} submitLabel="Create token" pending={create.isPending} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** The user's API tokens for automation. */
export function TokensTab() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const tenants = useTenantOptions();
  const [creating, setCreating] = useState(false);
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Tokens let scripts and the CLI call the API as you, limited to one role.</Text>
        <PermissionButton permission="token:write" onClick={() => setCreating(true)}>Create API token</PermissionButton>
      </Group>
      <QueryState query={tokens}>
        {(page) =>
          page.items.length === 0 ? <NoData title="No API tokens" description="You have no API tokens." /> : (
            <Table.ScrollContainer minWidth={700}>
              <Table aria-label="API tokens" striped>
                <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Role</Table.Th><Table.Th>Token</Table.Th><Table.Th>Expires</Table.Th><Table.Th>Last used</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {page.items.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td><Text size="sm" fw={500}>{t.name}</Text><Text size="xs" c="dimmed">created {formatTime(t.createdAt)}</Text></Table.Td>
                      <Table.Td><Text size="sm">{t.role} on {t.tenantId ? tenants.nameOf(t.tenantId) : 'every tenant'}</Text></Table.Td>
                      <Table.Td><Code>{t.prefix}…</Code></Table.Td>
                      <Table.Td><Text size="sm">{t.expiresAt ? formatTime(t.expiresAt) : 'never'}</Text></Table.Td>
                      <Table.Td><Text size="sm">{formatAgo(t.lastUsedAt)}</Text></Table.Td>
                      <Table.Td>
                        <ConfirmButton size="xs" variant="subtle" color="red" aria-label={`Revoke token ${t.name}`}
                          title="Revoke token" message={`Revoke ${t.name}? Anything using it stops working.`} confirmLabel="Revoke"
                          onConfirm={() => revoke.mutateAsync({ params: { id: t.id } })}>
                          Revoke
                        </ConfirmButton>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
