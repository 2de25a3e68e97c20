import type { Operation } from '@novacron/api';
import { Badge, Button, Code, Collapse, Group, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useCancelOperation, useOperations, type OperationFilters } from '../../api/hooks/operations.hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CursorPager, useCursorPager } from '../../components/CursorPager';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatAgo, formatTime } from '../../components/format';

const statusColor: Record<Operation['status'], string> = {
  pending: 'gray', running: 'blue', succeeded: 'green', failed: 'red', cancelled: 'orange',
};

function OperationRow({ op }: { op: Operation }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelOperation();
  const active = op.status === 'pending' || op.status === 'running';
  return (
    <>
      <Table.Tr>
        <Table.Td><Text size="sm" fw={500}>{op.kind}</Text><Text size="xs" c="dimmed">{op.id}</Text></Table.Td>
        <Table.Td><Badge color={statusColor[op.status]} variant="light">{op.status}</Badge></Table.Td>
        <Table.Td miw={140}>
          <Progress value={op.progress} animated={op.status === 'running'} color={statusColor[op.status]} aria-label={`Progress of ${op.kind}: ${Math.round(op.progress)}%`} />
          <Text size="xs" c="dimmed">{Math.round(op.progress)}%</Text>
        </Table.Td>
        <Table.Td><Text size="sm">{op.resources.join(', ') || '—'}</Text></Table.Td>
        <Table.Td><Text size="sm" title={formatTime(op.createdAt)}>{formatAgo(op.createdAt)}</Text></Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            {op.error || op.result ? (
              <Button size="xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
                {open ? 'Hide details' : op.error ? 'Error details' : 'Result'}
              </Button>
            ) : null}
            {active ? (
              <ConfirmButton
                size="xs" variant="light" color="red" permission="operation:cancel" tenantId={op.tenantId}
                disabledReason={op.mayCancel ? null : 'This operation cannot be cancelled at this stage.'}
                title="Cancel operation" message={`Cancel ${op.kind} (${op.id})?`} confirmLabel="Cancel operation"
                onConfirm={() => cancel.mutateAsync({ params: { id: op.id } })}
              >
                Cancel
              </ConfirmButton>
            ) : null}
          </Group>
        </Table.Td>
      </Table.Tr>
      {op.error || op.result ? (
        <Table.Tr>
          <Table.Td colSpan={6} p={0} style={{ borderTop: 0 }}>
            <Collapse expanded={open}>
              <Stack p="sm" gap={4}>
                {op.error ? <Text size="sm" c="red"><b>{op.error.code}</b>: {op.error.message}</Text> : null}
                {op.result ? <Code block>{JSON.stringify(op.result, null, 2)}</Code> : null}
              </Stack>
            </Collapse>
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}

/** Running and recent operations, updated by operation events. */
export default function OperationsPage() {
  const [status, setStatus] = useState<string | null>(null);
  const pager = useCursorPager();
  const filters: OperationFilters = { limit: 50, ...(status ? { status: status as Operation['status'] } : {}) };
  const ops = useOperations(filters, pager.cursor);
  return (
    <Stack>
      <PageHeader
        title="Operations"
        description="Long-running actions: progress, result and errors. They update live."
        actions={
          <Select
            label="Status" placeholder="Any status" clearable w={180}
            data={['pending', 'running', 'succeeded', 'failed', 'cancelled']}
            value={status} onChange={(v) => { setStatus(v); pager.reset(); }}
          />
        }
      />
      <QueryState query={ops}>
        {(page) =>
          page.items.length === 0 ? (
            <NoData description={status ? `No ${status} operations.` : 'No operations yet. Actions that take time (creating VMs, importing images) appear here.'} />
          ) : (
            <>
              <Table.ScrollContainer minWidth={800}>
                <Table aria-label="Operations" verticalSpacing="xs">
                  <Table.Thead>
                    <Table.Tr><Table.Th>Operation</Table.Th><Table.Th>Status</Table.Th><Table.Th>Progress</Table.Th><Table.Th>Resources</Table.Th><Table.Th>Started</Table.Th><Table.Th>Actions</Table.Th></Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>{page.items.map((op) => <OperationRow key={op.id} op={op} />)}</Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <CursorPager pager={pager} nextCursor={page.nextCursor} count={page.items.length} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}
