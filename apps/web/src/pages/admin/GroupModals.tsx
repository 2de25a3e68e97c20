import { routes, type Group } from '@novacron/api';
import { ActionIcon, Button, Group as Row, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState, type FormEvent } from 'react';
import { useAddGroupMember, useCreateGroup, useGroupMembers, useRemoveGroupMember } from '../../api/hooks/groups.hooks';
import { useUsers } from '../../api/hooks/users.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { DialogActions } from '../../components/DialogActions';
import { QueryState } from '../../components/QueryState';
import { useDialogForm } from '../../components/use-dialog-form';
import { useAuth } from '../../context/auth-context';
import { useTenantOptions } from './pickers';
import { GLOBAL_SCOPE } from './RoleBindingsEditor';

/** Creates a group on a tenant, or a global one (offered to global user administrators only). */
export function CreateGroupModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { me, can } = useAuth();
  const tenants = useTenantOptions();
  const create = useCreateGroup();
  const initial = { name: '', description: '', tenantId: me?.tenantId ?? '' };
  const { form, close, closeOnSuccess } = useDialogForm(initial, create, onClose);
  const scopes = [...(can('user:admin', null) ? [{ value: GLOBAL_SCOPE, label: 'Global (every tenant)' }] : []), ...tenants.options];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = form.values;
    const body = form.validate(routes['groups.create'].body!, { name: v.name.trim(), description: v.description, tenantId: v.tenantId === GLOBAL_SCOPE ? null : v.tenantId });
    if (body) create.mutate({ body }, closeOnSuccess((group) => `Created group ${group.name}`));
  };
  return (
    <Modal opened={opened} onClose={close} title="Create a group">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required autoFocus {...form.text('name')} />
          <TextInput label="Description" {...form.text('description')} />
          <Select label="Tenant" required data={scopes} value={form.values.tenantId} onChange={(v) => form.set('tenantId', v ?? '')} error={form.errors.tenantId} allowDeselect={false} />
          <DialogActions error={create.error} errorTitle="Could not create the group" onCancel={close} submitLabel="Create group" pending={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Lists a group's members; adds users (of the group's tenant, for a tenant's group) and removes them. */
export function GroupMembersModal({ group, onClose }: { group: Group | null; onClose: () => void }) {
  const { can } = useAuth();
  const members = useGroupMembers(group?.id ?? null);
  const add = useAddGroupMember();
  const remove = useRemoveGroupMember();
  const [userId, setUserId] = useState<string | null>(null);
  // Candidates are searched in the browser: a tenant's group takes only that tenant's users, so one page of them is enough.
  const candidates = useUsers({ limit: 1000, ...(group?.tenantId ? { tenant: group.tenantId } : {}) }, undefined, !!group);
  const memberIds = new Set((members.data?.items ?? []).map((m) => m.id));
  const options = (candidates.data?.items ?? []).filter((u) => !memberIds.has(u.id)).map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }));
  const mayChange = group ? can('user:admin', group.tenantId) : false;
  const close = () => {
    add.reset();
    remove.reset();
    setUserId(null);
    onClose();
  };
  const addMember = () => {
    if (!group || !userId) return;
    add.mutate({ params: { id: group.id, userId } }, {
      onSuccess: (m) => {
        notifications.show({ color: 'green', message: `Added ${m.email} to ${group.name}` });
        setUserId(null);
      },
    });
  };

  return (
    <Modal opened={!!group} onClose={close} title={group ? `Members of group ${group.name}` : ''} size="lg">
      <Stack>
        <QueryState query={members} label="Loading members">
          {(page) =>
            page.items.length === 0 ? (
              <Text size="sm" c="dimmed">No members yet.</Text>
            ) : (
              <Table aria-label="Group members">
                <Table.Thead><Table.Tr><Table.Th>User</Table.Th><Table.Th>Email</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {page.items.map((m) => (
                    <Table.Tr key={m.id}>
                      <Table.Td>{m.name}</Table.Td>
                      <Table.Td>{m.email}</Table.Td>
                      <Table.Td>
                        {mayChange ? (
                          <ActionIcon
                            variant="subtle" color="red" aria-label={`Remove ${m.email}`} loading={remove.isPending && remove.variables?.params.userId === m.id}
                            onClick={() => group && remove.mutate({ params: { id: group.id, userId: m.id } })}
                          >
                            ×
                          </ActionIcon>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          }
        </QueryState>
        {mayChange ? (
          <Row align="flex-end" wrap="wrap">
            <Select
              label="User to add" placeholder="Search by email or name" searchable w={340}
              data={options} value={userId} onChange={setUserId} nothingFoundMessage={candidates.isPending ? 'Loading…' : 'No user found'}
            />
            <Button variant="light" onClick={addMember} disabled={!userId} loading={add.isPending}>Add member</Button>
          </Row>
        ) : null}
        <ErrorAlert error={add.error ?? remove.error} title="That did not work" />
        <Row justify="flex-end">
          <Button variant="default" onClick={close}>Close</Button>
        </Row>
      </Stack>
    </Modal>
  );
}
