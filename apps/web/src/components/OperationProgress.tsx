import type { Operation } from '@novacron/api';
import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useOperation } from '../api/hooks/vm-hardware.hooks';

/** What an async operation is doing: a progress bar while it runs, its error when it fails; `onDone` once it ends. */
export function OperationProgress({ id, label, onDone }: { id: string | null; label: string; onDone?: (op: Operation) => void }) {
  const op = useOperation(id);
  const reported = useRef<string | null>(null);
  const data = op.data;
  const ended = data && ['succeeded', 'failed', 'cancelled'].includes(data.status);
  useEffect(() => {
    // Once per operation: a refetch of a finished operation must not run the callback again.
    if (data && ended && reported.current !== data.id) {
      reported.current = data.id;
      onDone?.(data);
    }
  }, [data, ended, onDone]);
  if (!id || !data) return null;
  if (data.status === 'failed' || data.status === 'cancelled') {
    return (
      <Alert color="red" role="alert" title={`${label} failed`} variant="light">
        {data.error ? `${data.error.message} (${data.error.code})` : data.status}
      </Alert>
    );
  }
  return (
    <Stack gap={4} aria-label={`${label} progress`}>
      <Group justify="space-between">
        <Text size="sm">{label}: {data.status}</Text>
        <Text size="xs" c="dimmed">{Math.round(data.progress)}%</Text>
      </Group>
      <Progress value={data.status === 'succeeded' ? 100 : Math.max(data.progress, 5)} animated={!ended} aria-label={`${label}: ${data.status}`} />
    </Stack>
  );
}
