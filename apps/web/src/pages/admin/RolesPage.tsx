import { routes, type Permission, type Role } from '@novacron/api';
import { Badge, Button, Checkbox, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useCreateRole, useDeleteRole, usePermissionList, useRoles, useUpdateRole } from '../../api/hooks/roles.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { useForm } from '../../components/use-form';
import { useAuth } from '../../context/auth-context';

function CreateRoleModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateRole();
  const form = useForm({ name: '', description: '' });
  const close = () => {
    create.reset();
    form.setValues({ name: '', description: '' });
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = form.validate(routes['roles.create'].body!, { ...form.values, permissions: [] });
    if (body) create.mutate({ body }, { onSuccess: close, onError: form.fromProblem });
  };
  return (
    <Modal opened={opened} onClose={close} title="Create a role">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Role name" description="Lower-case, e.g. net-admin" required autoFocus {...form.text('name')} />
          <TextInput label="Description" {...form.text('description')} />
          <Text size="xs" c="dimmed">Choose its permissions in the matrix after creating it.</Text>
          <ErrorAlert error={create.error} title="Could not create the role" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending}>Create role</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The permission matrix: permissions down, roles across. Built-in roles are read-only; custom roles are edited in place
 * and saved per role. */
export default function RolesPage() {
  const { can } = useAuth();
  const roles = useRoles();
  const perms = usePermissionList();
  const update = useUpdateRole();
  const del = useDeleteRole();
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState<Record<string, Set<Permission>>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const mayEdit = can('role:admin');

  const items = useMemo(() => roles.data?.items ?? [], [roles.data]);
  useEffect(() => {
    setDraft(Object.fromEntries(items.map((r) => [r.id, new Set(r.permissions)])));
  }, [items]);

  const dirty = (r: Role) => {
    const d = draft[r.id];
    return !!d && (d.size !== r.permissions.length || r.permissions.some((p) => !d.has(p)));
  };
  const toggle = (r: Role, p: Permission, on: boolean) =>
    setDraft((prev) => {
      const next = new Set(prev[r.id]);
      if (on) next.add(p); else next.delete(p);
      return { ...prev, [r.id]: next };
    });
  const save = (r: Role) => {
    setSaving(r.id);
    update.mutate(
      { params: { id: r.id }, body: { permissions: [...(draft[r.id] ?? [])] } },
      {
        onSuccess: () => notifications.show({ color: 'green', message: `Saved role ${r.name}` }),
        onSettled: () => setSaving(null),
      },
    );
  };

  return (
    <Stack>
      <PageHeader
        title="Roles"
        description="A role bundles permissions; users get roles on one tenant or on all. Built-in roles cannot be changed."
        actions={<PermissionButton permission="role:admin" onClick={() => setCreating(true)}>Create role</PermissionButton>}
      />
      <ErrorAlert error={update.error} title="Could not save the role" />
      <QueryState query={perms}>
        {(permList) => (
          <QueryState query={roles}>
            {() => (
              <Table.ScrollContainer minWidth={300 + items.length * 110}>
                <Table aria-label="Permission matrix" striped withColumnBorders stickyHeader>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Permission</Table.Th>
                      {items.map((r) => (
                        <Table.Th key={r.id} ta="center">
                          <Stack gap={4} align="center">
                            <Text size="sm" fw={600}>{r.name}</Text>
                            {r.builtin ? <Badge size="xs" variant="outline">built-in</Badge> : (
                              <Group gap={4} justify="center">
                                <PermissionButton permission="role:admin" size="compact-xs" disabledReason={dirty(r) ? null : 'No changes to save'} loading={saving === r.id} onClick={() => save(r)} aria-label={`Save role ${r.name}`}>
                                  Save
                                </PermissionButton>
                                <ConfirmButton
                                  permission="role:admin" size="compact-xs" variant="subtle" color="red" aria-label={`Delete role ${r.name}`}
                                  title="Delete role" message={`Delete the role ${r.name}? Roles still bound to users cannot be deleted.`} confirmLabel="Delete role"
                                  onConfirm={() => del.mutateAsync({ params: { id: r.id } })}
                                >
                                  Delete
                                </ConfirmButton>
                              </Group>
                            )}
                          </Stack>
                        </Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {permList.items.map((p) => (
                      <Table.Tr key={p.name}>
                        <Table.Td>
                          <Text size="sm" ff="monospace">{p.name}</Text>
                          <Text size="xs" c="dimmed">{p.description}{p.globalOnly ? ' (global only)' : ''}</Text>
                        </Table.Td>
                        {items.map((r) => {
                          const readOnly = r.builtin || !mayEdit;
                          return (
                            <Table.Td key={r.id} title={readOnly ? (r.builtin ? 'Built-in roles cannot be changed' : 'You need the role:admin permission') : undefined}>
                              <Group justify="center">
                                <Checkbox
                                  aria-label={`${r.name}: ${p.name}`}
                                  checked={draft[r.id]?.has(p.name) ?? false}
                                  onChange={(e) => toggle(r, p.name, e.currentTarget.checked)}
                                  disabled={readOnly}
                                />
                              </Group>
                            </Table.Td>
                          );
                        })}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </QueryState>
        )}
      </QueryState>
      <CreateRoleModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
