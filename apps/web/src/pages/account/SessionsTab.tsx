import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useRevokeAllSessions, useRevokeSession, useSessions } from '../../api/hooks/auth.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { NoData } from '../../components/NoData';
import { QueryState } from '../../components/QueryState';
import { formatAgo, formatTime } from '../../components/format';

/** Where the user is signed in; sign any of them out. */
export function SessionsTab() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeAll = useRevokeAllSessions();
  return (
    <QueryState query={sessions}>
      {(page) =>
        page.items.length === 0 ? <NoData title="No sessions" /> : (
          <Stack>
            <Group justify="flex-end">
              <ConfirmButton variant="light" color="red" disabledReason={page.items.length < 2 ? 'This is your only session.' : null}
                title="Sign out other sessions" message="Sign out every session except this one?" confirmLabel="Sign out others"
                onConfirm={() => revokeAll.mutateAsync({})}>
                Sign out all other sessions
              </ConfirmButton>
            </Group>
            <Table.ScrollContainer minWidth={700}>
              <Table aria-label="Sessions" striped>
                <Table.Thead><Table.Tr><Table.Th>Device</Table.Th><Table.Th>IP</Table.Th><Table.Th>Signed in</Table.Th><Table.Th>Last active</Table.Th><Table.Th>Expires</Table.Th><Table.Th /></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {page.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td><Text size="sm" lineClamp={1} title={s.userAgent}>{s.userAgent || 'unknown'}</Text>{s.current ? <Badge size="xs" color="green">this session</Badge> : null}</Table.Td>
                      <Table.Td><Text size="sm">{s.ip}</Text></Table.Td>
                      <Table.Td><Text size="sm">{formatTime(s.createdAt)}</Text></Table.Td>
                      <Table.Td><Text size="sm">{formatAgo(s.lastUsedAt)}</Text></Table.Td>
                      <Table.Td><Text size="sm">{formatTime(s.expiresAt)}</Text></Table.Td>
                      <Table.Td>
                        {s.current ? null : (
                          <ConfirmButton size="xs" variant="subtle" color="red" aria-label={`Sign out session ${s.id}`}
                            title="Sign out session" message="Sign this session out?" confirmLabel="Sign out"
                            onConfirm={() => revoke.mutateAsync({ params: { id: s.id } })}>
                            Sign out
                          </ConfirmButton>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Stack>
        )
      }
    </QueryState>
  );
}
