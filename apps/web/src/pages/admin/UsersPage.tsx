import type { AdminUser } from '@novacron/api';
import { Badge, Button, Group, Menu, SegmentedControl, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { problemMessage } from '../../api/problem';
import { useDeleteUser, useResetUser2fa, useUpdateUser, useUsers, type UserFilters } from '../../api/hooks/users.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { useCursorPager } from '../../components/CursorPager';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PagedTable } from '../../components/PagedTable';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { formatAgo } from '../../components/format';
import { useAuth } from '../../context/auth-context';
import { useTenantOptions } from './pickers';
import { RoleBadges } from './RoleBadges';
import { TenantFilterSelect } from './TenantFilterSelect';
import { CreateUserModal, InviteUserModal } from './UserModals';
import { UserRolesModal } from './UserRolesModal';

function UserActions({ user, onRoles }: { user: AdminUser; onRoles: () => void }) {
  const { can, me } = useAuth();
  const update = useUpdateUser();
  const reset2fa = useResetUser2fa();
  const del = useDeleteUser();
  const allowed = can('user:admin', user.tenantId);
  const self = user.id === me?.id;
  const run = (p: Promise<unknown>, ok: string) =>
    p.then(() => notifications.show({ color: 'green', message: ok })).catch((err) => notifications.show({ color: 'red', title: 'That did not work', message: problemMessage(err) }));
  if (!allowed) {
    return (
      <Tooltip label="You need the user:admin permission on this user's tenant.">
        <Button size="xs" variant="default" aria-disabled="true" data-disabled onClick={(e) => e.preventDefault()}>Manage</Button>
      </Tooltip>
    );
  }
  return (
    <Group gap={4} wrap="nowrap">
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="xs" variant="default" aria-label={`Manage ${user.email}`} loading={update.isPending || reset2fa.isPending}>Manage</Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={onRoles} disabled={self} title={self ? 'You cannot change your own roles' : undefined}>Edit roles</Menu.Item>
          <Menu.Item
            disabled={self}
            onClick={() => run(update.mutateAsync({ params: { id: user.id }, body: { disabled: !user.disabled } }), user.disabled ? `Enabled ${user.email}` : `Disabled ${user.email}`)}
          >
            {user.disabled ? 'Enable account' : 'Disable account'}
          </Menu.Item>
          <Menu.Item disabled={!user.totpEnabled} onClick={() => run(reset2fa.mutateAsync({ params: { id: user.id } }), `Two-factor authentication of ${user.email} turned off`)}>
            Reset two-factor authentication
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ConfirmButton
        size="xs" variant="subtle" color="red" permission="user:admin" tenantId={user.tenantId}
        disabledReason={self ? 'You cannot delete yourself.' : null}
        title="Delete user" message={`Delete ${user.email} with their sessions and API tokens? This cannot be undone.`} confirmLabel="Delete user"
        onConfirm={() => del.mutateAsync({ params: { id: user.id } })} aria-label={`Delete ${user.email}`}
      >
        Delete
      </ConfirmButton>
    </Group>
  );
}

/** User administration: search, filter by tenant and state, invite, create, roles, disable, reset 2FA, delete. */
export default function UsersPage() {
  const tenants = useTenantOptions();
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 250);
  const [tenant, setTenant] = useState<string | null>(null);
  const [state, setState] = useState('all');
  const [inviting, setInviting] = useState(false);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const pager = useCursorPager();
  const filters: UserFilters = {
    limit: 50,
    ...(debounced ? { text: debounced } : {}),
    ...(tenant ? { tenant } : {}),
    ...(state !== 'all' ? { disabled: state === 'disabled' ? 'true' : 'false' } : {}),
  };
  const users = useUsers(filters, pager.cursor);
  const resetting = <T,>(fn: (v: T) => void) => (v: T) => { fn(v); pager.reset(); };

  return (
    <Stack>
      <PageHeader
        title="Users"
        description="Accounts, their home tenant and roles."
        actions={
          <>
            <PermissionButton permission="user:admin" variant="light" onClick={() => setInviting(true)}>Invite user</PermissionButton>
            <PermissionButton permission="user:admin" onClick={() => setCreating(true)}>Create user</PermissionButton>
          </>
        }
      />
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Search" placeholder="Email or name" value={text} onChange={(e) => resetting(setText)(e.currentTarget.value)} w={260} />
        <TenantFilterSelect value={tenant} onChange={resetting(setTenant)} />
        <SegmentedControl aria-label="Account state" value={state} onChange={resetting(setState)} data={[{ value: 'all', label: 'All' }, { value: 'active', label: 'Active' }, { value: 'disabled', label: 'Disabled' }]} />
      </Group>
      <QueryState query={users}>
        {(page) =>
          page.items.length === 0 ? (
            <NoData title="No users found" description={debounced || tenant || state !== 'all' ? 'No user matches these filters.' : 'No users yet.'} />
          ) : (
            <PagedTable
              label="Users" minWidth={820} pager={pager} nextCursor={page.nextCursor} count={page.items.length}
              head={<><Table.Th>User</Table.Th><Table.Th>Tenant</Table.Th><Table.Th>Roles</Table.Th><Table.Th>Status</Table.Th><Table.Th>Last sign-in</Table.Th><Table.Th>Actions</Table.Th></>}
            >
              {page.items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td><Text size="sm" fw={500}>{u.name}</Text><Text size="xs" c="dimmed">{u.email}</Text></Table.Td>
                  <Table.Td><Text size="sm">{tenants.nameOf(u.tenantId)}</Text></Table.Td>
                  <Table.Td><RoleBadges bindings={u.roles} homeTenantId={u.tenantId} /></Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.disabled ? <Badge color="red" variant="light">disabled</Badge> : <Badge color="green" variant="light">active</Badge>}
                      {u.totpEnabled ? <Badge color="teal" variant="outline">2FA</Badge> : null}
                      {!u.emailVerified ? <Badge color="gray" variant="outline">unverified</Badge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td><Text size="sm">{formatAgo(u.lastLoginAt)}</Text></Table.Td>
                  <Table.Td><UserActions user={u} onRoles={() => setEditing(u)} /></Table.Td>
                </Table.Tr>
              ))}
            </PagedTable>
          )
        }
      </QueryState>
      <InviteUserModal opened={inviting} onClose={() => setInviting(false)} />
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      <UserRolesModal user={editing} onClose={() => setEditing(null)} />
    </Stack>
  );
}
