import type { RoleBinding } from '@novacron/api';
import { ActionIcon, Button, Group as Row, Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useRoleOptions, useTenantOptions } from './pickers';

/** Select value standing for "every tenant" (a binding with tenantId null): Mantine options need a string. */
export const GLOBAL_SCOPE = '__global__';

type Scope = { value: string; label: string };

/**
 * Lists role bindings with a remove button each, and adds a role on a chosen scope (duplicates ignored).
 * Remount it (key) per edited user or group: the scope picker starts from `defaultScope`.
 */
export function RoleBindingsEditor({ bindings, onChange, scopes, defaultScope, tableLabel, emptyText }: {
  bindings: RoleBinding[];
  onChange: (next: RoleBinding[]) => void;
  scopes: Scope[];
  defaultScope: string | null;
  tableLabel: string;
  emptyText: string;
}) {
  const tenants = useTenantOptions();
  const roles = useRoleOptions();
  const [role, setRole] = useState<string | null>(null);
  const [scope, setScope] = useState<string | null>(defaultScope);

  const add = () => {
    if (!role || !scope) return;
    const b = { role, tenantId: scope === GLOBAL_SCOPE ? null : scope };
    if (!bindings.some((x) => x.role === b.role && x.tenantId === b.tenantId)) onChange([...bindings, b]);
    setRole(null);
  };

  return (
    <>
      {bindings.length === 0 ? (
        <Text size="sm" c="dimmed">{emptyText}</Text>
      ) : (
        <Table aria-label={tableLabel}>
          <Table.Thead><Table.Tr><Table.Th>Role</Table.Th><Table.Th>Where</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {bindings.map((b) => (
              <Table.Tr key={`${b.role}@${b.tenantId}`}>
                <Table.Td>{b.role}</Table.Td>
                <Table.Td>{tenants.nameOf(b.tenantId)}</Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" color="red" aria-label={`Remove ${b.role} on ${tenants.nameOf(b.tenantId)}`} onClick={() => onChange(bindings.filter((x) => x !== b))}>
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
    </>
  );
}
