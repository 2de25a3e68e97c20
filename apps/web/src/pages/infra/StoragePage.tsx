import { Badge, Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useNetworks, useStoragePools, useVolumes } from '../../api/hooks/compute.hooks';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { UsageBar } from '../../components/UsageBar';
import { useAuth } from '../../context/auth-context';

const gib = (b: number | null) => (b === null ? null : Math.round(b / 2 ** 30));

/** Storage pools with capacity, volumes, and networks. */
export default function StoragePage() {
  const { can } = useAuth();
  const pools = useStoragePools();
  const volumes = useVolumes();
  const networks = useNetworks(can('network:read'));
  return (
    <Stack>
      <PageHeader title="Storage and networks" description="Pools, the volumes in them, and the networks VMs attach to." />
      <Title order={3} size="h4">Storage pools</Title>
      <QueryState query={pools}>
        {(page) => page.items.length === 0 ? <NoData title="No storage pools" /> : (
          <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
            {page.items.map((p) => (
              <Card key={p.id} withBorder component="section" aria-label={`Pool ${p.name}`}>
                <Text fw={600}>{p.name}</Text>
                <Text size="xs" c="dimmed" mb="xs">{p.driver} · {p.path} · {p.volumes} volume{p.volumes === 1 ? '' : 's'}</Text>
                {p.capacityBytes === null ? <Text size="sm" c="dimmed">No data yet: no node has reported this pool.</Text> : (
                  <UsageBar label="Used" used={gib((p.capacityBytes ?? 0) - (p.availableBytes ?? 0)) ?? 0} limit={gib(p.capacityBytes)} unit=" GiB" />
                )}
                <Text size="xs" c="dimmed" mt={4}>Provisioned to volumes: {gib(p.provisionedBytes)} GiB</Text>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
      <Title order={3} size="h4">Volumes</Title>
      <QueryState query={volumes}>
        {(page) => page.items.length === 0 ? <NoData title="No volumes" /> : (
          <Table.ScrollContainer minWidth={700}>
            <Table aria-label="Volumes" striped>
              <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Size</Table.Th><Table.Th>Format</Table.Th><Table.Th>State</Table.Th><Table.Th>Attached to</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {page.items.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td>{v.name}</Table.Td><Table.Td>{v.sizeGiB} GiB</Table.Td><Table.Td>{v.format}</Table.Td>
                    <Table.Td><Badge variant="light">{v.state}</Badge></Table.Td><Table.Td>{v.attachedTo?.vmId ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      {can('network:read') ? (
        <>
          <Title order={3} size="h4">Networks</Title>
          <QueryState query={networks}>
            {(page) => page.items.length === 0 ? <NoData title="No networks" /> : (
              <Table aria-label="Networks" striped>
                <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Driver</Table.Th><Table.Th>Subnet</Table.Th><Table.Th>NICs</Table.Th><Table.Th>Description</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {page.items.map((n) => (
                    <Table.Tr key={n.id}><Table.Td>{n.name}</Table.Td><Table.Td>{n.driver}</Table.Td><Table.Td>{n.cidr}</Table.Td><Table.Td>{n.nics}</Table.Td><Table.Td>{n.description}</Table.Td></Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </QueryState>
        </>
      ) : null}
    </Stack>
  );
}
