import type { Group, RoleBinding } from '@novacron/api';
import { ActionIcon, Button, Group as Row, Modal, Select, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSetGroupRoles } from '../../api/hooks/groups.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRoleOptions, useTenantOptions } from './pickers';

const GLOBAL = '__global__';

/** Edits a group's role bindings. A tenant's group binds on its tenant only; a global group anywhere. */
export function GroupRolesModal({ group, onClose }: { group: Group | null; onClose: () => void }) {
  const tenants = useTenantOptions();
  const roles = useRoleOptions();
  const save = useSetGroupRoles();
  const [bindings, setBindings] = useState<RoleBinding[]>([]);
  const [role, setRole] = useState<string | null>(null);
  const [scope, setScope] = useState<string | null>(null);

  useEffect(() => {
    setBindings(group?.roles ?? []);
    setScope(group ? (group.tenantId ?? GLOBAL) : null);
    save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [group]);

  // The server refuses other scopes for a tenant's group; offering only the valid one saves a round trip.
  const scopes = group?.tenantId
    ? [{ value: group.tenantId, label: tenants.nameOf(group.tenantId) }]
    : [{ value: GLOBAL, label: 'All tenants' }, ...tenants.options];
  const add = () => {
    if (!role || !scope) return;
    const b = { role, tenantId: scope === GLOBAL ? null : scope };
    if (!bindings.some((x) => x.role === b.role && x.tenantId === b.tenantId)) setBindings([...bindings, b]);
    setRole(null);
  };
  const submit = () => {
    if (!group) return;
    save.mutate({ params: { id: group.id }, body: bindings }, { onSuccess: onClose });
  };

  return (
    <Modal opened={!!group} onClose={onClose} title={group ? `Roles of group ${group.name}` : ''} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">Every member holds these roles, in addition to their own.</Text>
        {bindings.length === 0 ? (
          <Text size="sm" c="dimmed">No roles: membership gives nothing yet.</Text>
        ) : (
          <Table aria-label="Group role bindings">
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
        <Row align="flex-end" wrap="wrap">
          <Select label="Role to add" data={roles.options} value={role} onChange={setRole} placeholder="Choose a role" />
          <Select label="On" data={scopes} value={scope} onChange={setScope} allowDeselect={false} />
          <Button variant="light" onClick={add} disabled={!role || !scope}>Add role</Button>
        </Row>
        <ErrorAlert error={save.error} title="Could not change the roles" />
        <Row justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={submit} loading={save.isPending}>Save roles</Button>
        </Row>
      </Stack>
    </Modal>
  );
}
