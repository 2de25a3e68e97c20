import type { Vm } from '@novacron/api';
import { Badge, Table } from '@mantine/core';
import { useOperations } from '../../api/hooks/operations.hooks';
import { NoData } from '../../components/NoData';
import { QueryState } from '../../components/QueryState';
import { formatAgo } from '../../components/format';

/** The operations that touched this VM, newest first. */
export function VmOperationsPanel({ vm }: { vm: Vm }) {
  const ops = useOperations({ limit: 20, resource: `/api/v1/vms/${vm.id}` });
  return (
    <QueryState query={ops}>
      {(page) => page.items.length === 0 ? <NoData title="No operations yet" /> : (
        <Table aria-label="Operations of this VM"><Table.Tbody>
          {page.items.map((op) => (
            <Table.Tr key={op.id}>
              <Table.Td>{op.kind}</Table.Td><Table.Td><Badge variant="light">{op.status}</Badge></Table.Td>
              <Table.Td>{Math.round(op.progress)}%</Table.Td><Table.Td>{op.error ? `${op.error.code}: ${op.error.message}` : ''}</Table.Td>
              <Table.Td>{formatAgo(op.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody></Table>
      )}
    </QueryState>
  );
}
