import type { Group } from '@novacron/api';
import { Button, Group as Row, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useDeleteGroup, useGroups, type GroupFilters } from '../../api/hooks/groups.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useCursorPager } from '../../components/CursorPager';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { CreateGroupModal, GroupMembersModal } from './GroupModals';
import { GroupRolesModal } from './GroupRolesModal';
import { useTenantOptions } from './pickers';
import { RoleBadges } from './RoleBadges';
import { TenantFilterSelect } from './TenantFilterSelect';

/** Group administration: groups of a tenant (or global ones), their members and the roles every member gains. */
export default function GroupsPage() {
  const tenants = useTenantOptions();
  const [name, setName] = useState('');
  const [debounced] = useDebouncedValue(name.trim(), 250);
  const [tenant, setTenant] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [members, setMembers] = useState<Group | null>(null);
  const [roles, setRoles] = useState<Group | null>(null);
  const del = useDeleteGroup();
  const pager = useCursorPager();
  const filters: GroupFilters = { limit: 50, ...(debounced ? { name: debounced } : {}), ...(tenant ? { tenant } : {}) };
  const groups = useGroups(filters, pager.cursor);
  const resetting = <T,>(fn: (v: T) => void) => (v: T) => { fn(v); pager.reset(); };
  const where = (g: Group) => (g.tenantId === null ? 'Global' : tenants.nameOf(g.tenantId));

  return (
    <Stack>
      <PageHeader
        title="Groups"
        description="Bind roles once to a group: every member gains them, and loses them when removed."
        actions={<PermissionButton permission="user:admin" onClick={() => setCreating(true)}>Create group</PermissionButton>}
      />
      <Row align="flex-end" wrap="wrap">
        <TextInput label="Search" placeholder="Group name" value={name} onChange={(e) => resetting(setName)(e.currentTarget.value)} w={260} />
        <TenantFilterSelect value={tenant} onChange={resetting(setTenant)} />
      </Row>
      <QueryState query={groups}>
        {(page) =>
          page.items.length === 0 ? (
            <NoData title="No groups found" description={debounced || tenant ? 'No group matches these filters.' : 'No groups yet.'} />
          ) : (
            <PagedTable
              label="Groups" minWidth={820} pager={pager} nextCursor={page.nextCursor} count={page.items.length}
              head={<><Table.Th>Group</Table.Th><Table.Th>Tenant</Table.Th><Table.Th>Members</Table.Th><Table.Th>Roles</Table.Th><Table.Th>Actions</Table.Th></>}
            >
              {page.items.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td><Text size="sm" fw={500}>{g.name}</Text>{g.description ? <Text size="xs" c="dimmed">{g.description}</Text> : null}</Table.Td>
                  <Table.Td><Text size="sm">{where(g)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{g.members}</Text></Table.Td>
                  <Table.Td><RoleBadges bindings={g.roles} homeTenantId={g.tenantId} /></Table.Td>
                  <Table.Td>
                    <Row gap={4} wrap="nowrap">
                      <Button size="xs" variant="default" aria-label={`Members of ${g.name}`} onClick={() => setMembers(g)}>Members</Button>
                      <PermissionButton size="xs" variant="default" permission="user:admin" tenantId={g.tenantId} aria-label={`Roles of ${g.name}`} onClick={() => setRoles(g)}>
                        Roles
                      </PermissionButton>
                      <ConfirmButton
                        size="xs" variant="subtle" color="red" permission="user:admin" tenantId={g.tenantId}
                        title="Delete group" message={`Delete group ${g.name}? Its ${g.members} member(s) lose the roles it gives them.`} confirmLabel="Delete group"
                        onConfirm={() => del.mutateAsync({ params: { id: g.id } })} aria-label={`Delete ${g.name}`}
                      >
                        Delete
                      </ConfirmButton>
                    </Row>
                  </Table.Td>
                </Table.Tr>
              ))}
            </PagedTable>
          )
        }
      </QueryState>
      <CreateGroupModal opened={creating} onClose={() => setCreating(false)} />
      <GroupMembersModal group={members} onClose={() => setMembers(null)} />
      <GroupRolesModal group={roles} onClose={() => setRoles(null)} />
    </Stack>
  );
}
