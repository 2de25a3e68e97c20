import { Alert, Badge, Button, Code, CopyButton, Group, Stack, Table, Text } from '@mantine/core';
import { useApiMutation } from '../../api/hooks/mutation';
import { useNodes } from '../../api/hooks/compute.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { UsageBar } from '../../components/UsageBar';
import { formatAgo } from '../../components/format';
import { formatMiB } from '../vms/vm-actions';

/** Hypervisor nodes: inventory, online state (live from node events), allocation; join tokens for new nodes. */
export default function NodesPage() {
  const nodes = useNodes();
  const join = useApiMutation('nodes.createJoinToken');
  return (
    <Stack>
      <PageHeader
        title="Nodes"
        description="Hosts running a node agent. Online state updates live."
        actions={<PermissionButton permission="node:admin" loading={join.isPending} onClick={() => join.mutate({ body: {} })}>Create join token</PermissionButton>}
      />
      <ErrorAlert error={join.error} />
      {join.data ? (
        <Alert color="blue" title="Join token (shown once, single use)">
          <Stack gap={4}>
            <Code block aria-label="Join token">{join.data.token}</Code>
            <Group><Text size="xs">Valid until {new Date(join.data.expiresAt).toLocaleString()}.</Text>
              <CopyButton value={join.data.token}>{({ copied, copy }) => <Button size="xs" variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton></Group>
          </Stack>
        </Alert>
      ) : null}
      <QueryState query={nodes}>
        {(page) => page.items.length === 0 ? (
          <NoData title="No nodes yet" description="Start a node agent with a join token, or run NovaCron with its embedded agent." />
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table aria-label="Nodes" striped>
              <Table.Thead><Table.Tr><Table.Th>Node</Table.Th><Table.Th>State</Table.Th><Table.Th>Hardware</Table.Th><Table.Th>Hypervisor</Table.Th><Table.Th>Allocation</Table.Th><Table.Th>Last seen</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {page.items.map((n) => (
                  <Table.Tr key={n.id}>
                    <Table.Td><Text size="sm" fw={500}>{n.name}</Text><Text size="xs" c="dimmed">{n.hostname}</Text></Table.Td>
                    <Table.Td><Badge color={n.state === 'online' ? 'green' : 'red'} variant="light">{n.state}</Badge></Table.Td>
                    <Table.Td><Text size="sm">{n.cpus} CPUs, {formatMiB(n.memoryMiB)}</Text><Text size="xs" c="dimmed">{n.cpuModel} ({n.arch})</Text></Table.Td>
                    <Table.Td><Text size="sm">QEMU {n.qemuVersion}</Text><Text size="xs" c="dimmed">{n.kvm ? 'KVM' : `no KVM: ${n.accel}`} · agent {n.agentVersion}</Text></Table.Td>
                    <Table.Td miw={200}>
                      <Stack gap={4}>
                        <UsageBar label={`vCPUs (${n.vms} VMs)`} used={n.allocatedVcpus} limit={n.cpus} />
                        <UsageBar label="Memory" used={n.allocatedMemoryMiB} limit={n.memoryMiB} unit=" MiB" />
                      </Stack>
                    </Table.Td>
                    <Table.Td><Text size="sm">{formatAgo(n.lastSeenAt)}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Stack>
  );
}
