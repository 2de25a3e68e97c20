import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { formatAgo } from '../../components/format';
import { useAuth } from '../../context/auth-context';
import { useEvents } from '../../context/events-context';
import { hasRoute } from '../../nav';

const COUNT_PAGE = 1000;

interface CountCard {
  label: string;
  to: string;
  route: string;
  permission: Parameters<ReturnType<typeof useAuth>['can']>[0];
  count: () => Promise<{ items: unknown[]; nextCursor: string | null }>;
}

// Counts come from the lists themselves (one page of up to 1000: "1000+" beyond that). VMs and nodes join once their APIs exist.
const cards: CountCard[] = [
  { label: 'Virtual machines', to: '/vms', route: 'vms.list', permission: 'vm:read', count: () => api.call('vms.list', { query: { limit: COUNT_PAGE } }) },
  { label: 'Running VMs', to: '/vms', route: 'vms.list', permission: 'vm:read', count: () => api.call('vms.list', { query: { state: 'running', limit: COUNT_PAGE } }) },
  { label: 'Nodes online', to: '/nodes', route: 'nodes.list', permission: 'node:read', count: () => api.call('nodes.list', { query: { state: 'online', limit: COUNT_PAGE } }) },
  { label: 'Running operations', to: '/operations', route: 'operations.list', permission: 'operation:read', count: () => api.call('operations.list', { query: { status: 'running', limit: COUNT_PAGE } }) },
  { label: 'Users', to: '/admin/users', route: 'users.list', permission: 'user:read', count: () => api.call('users.list', { query: { limit: COUNT_PAGE } }) },
  { label: 'Tenants', to: '/admin/tenants', route: 'tenants.list', permission: 'tenant:read', count: () => api.call('tenants.list', { query: { limit: COUNT_PAGE } }) },
];

function Count({ card }: { card: CountCard }) {
  const q = useQuery({ queryKey: ['overview', card.label], queryFn: card.count });
  const value = q.data ? `${q.data.items.length}${q.data.nextCursor ? '+' : ''}` : q.isError ? 'unavailable' : '…';
  return (
    <Card withBorder component={Link} to={card.to} aria-label={`${card.label}: ${value}`}>
      <Text size="sm" c="dimmed">{card.label}</Text>
      <Text fz={28} fw={700}>{value}</Text>
    </Card>
  );
}

/** The first page: what exists and what is happening, from the API and the events stream. */
export default function OverviewPage() {
  const { can, me } = useAuth();
  const { recent, status } = useEvents();
  const visible = cards.filter((c) => hasRoute(c.route) && can(c.permission));
  const health = useQuery({ queryKey: ['overview', 'health'], queryFn: () => api.call('system.health') });

  return (
    <Stack>
      <PageHeader
        title="Overview"
        description={`Signed in as ${me?.name || me?.email}`}
        actions={health.data ? <Badge color="green" variant="light">Control plane {health.data.status}, version {health.data.version}</Badge> : null}
      />
      {visible.length ? (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
          {visible.map((c) => <Count key={c.label} card={c} />)}
        </SimpleGrid>
      ) : null}
      {!hasRoute('vms.list') ? (
        <Card withBorder>
          <Text fw={600}>Virtual machines and nodes</Text>
          <Text size="sm" c="dimmed">No data yet: this control plane does not report virtual machines or nodes.</Text>
        </Card>
      ) : null}
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4">Recent events</Title>
          <Text size="xs" c="dimmed">{status === 'live' ? 'live' : 'not connected'}</Text>
        </Group>
        {recent.length === 0 ? (
          <NoData description="No events since this page was opened. Events appear here as they happen." />
        ) : (
          <Table striped aria-label="Recent events">
            <Table.Thead>
              <Table.Tr><Table.Th>Event</Table.Th><Table.Th>Resource</Table.Th><Table.Th>When</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recent.slice(0, 15).map((e, i) => (
                <Table.Tr key={`${e.time}-${i}`}>
                  <Table.Td>{e.type}</Table.Td>
                  <Table.Td>{e.resource ?? '—'}</Table.Td>
                  <Table.Td>{formatAgo(e.time)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
