import type { AdminUser, RoleBinding } from '@novacron/api';
import { ActionIcon, Button, Group, Modal, Select, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSetUserRoles } from '../../api/hooks/users.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRoleOptions, useTenantOptions } from './pickers';

const GLOBAL = '__global__';

/** Edits a user's role bindings: each a role on one tenant or on every tenant. */
export function UserRolesModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const tenants = useTenantOptions();
  const roles = useRoleOptions();
  const save = useSetUserRoles();
  const [bindings, setBindings] = useState<RoleBinding[]>([]);
  const [role, setRole] = useState<string | null>(null);
  const [scope, setScope] = useState<string | null>(null);

  useEffect(() => {
    setBindings(user?.roles ?? []);
    setScope(user?.tenantId ?? null);
    save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  const add = () => {
    if (!role || !scope) return;
    const b = { role, tenantId: scope === GLOBAL ? null : scope };
    if (!bindings.some((x) => x.role === b.role && x.tenantId === b.tenantId)) setBindings([...bindings, b]);
    setRole(null);
  };
  const submit = () => {
    if (!user) return;
    save.mutate({ params: { id: user.id }, body: bindings }, { onSuccess: onClose });
  };

  return (
    <Modal opened={!!user} onClose={onClose} title={user ? `Roles of ${user.email}` : ''} size="lg">
      <Stack>
        {bindings.length === 0 ? (
          <Text size="sm" c="dimmed">No roles: this user can sign in but see nothing.</Text>
        ) : (
          <Table aria-label="Role bindings">
            <Table.Thead><Table.Tr><Table.Th>Role</Table.Th><Table.Th>Where</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {bindings.map((b) => (
                <Table.Tr key={`${b.role}@${b.tenantId}`}>
                  <Table.Td>{b.role}</Table.Td>
                  <Table.Td>{tenants.nameOf(b.tenantId)}</Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove ${b.role} on ${tenants.nameOf(b.tenantId)}`} onClick={() => setBindings(bindings.filter((x) => x !== b))}>
                      ×
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group align="flex-end" wrap="wrap">
          <Select label="Role to add" data={roles.options} value={role} onChange={setRole} placeholder="Choose a role" />
          <Select label="On" data={[{ value: GLOBAL, label: 'All tenants' }, ...tenants.options]} value={scope} onChange={setScope} allowDeselect={false} />
          <Button variant="light" onClick={add} disabled={!role || !scope}>Add role</Button>
        </Group>
        <ErrorAlert error={save.error} title="Could not change the roles" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={submit} loading={save.isPending}>Save roles</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
