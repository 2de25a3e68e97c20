import type { Vm } from '@novacron/api';
import { Code, ScrollArea, Stack, Text } from '@mantine/core';
import { useSerialLog } from '../../api/hooks/compute.hooks';
import { NoData } from '../../components/NoData';
import { QueryState } from '../../components/QueryState';

/** The bounded serial output the agent kept for this VM. */
export function SerialLogPanel({ vm }: { vm: Vm }) {
  const log = useSerialLog(vm.id, true);
  return (
    <QueryState query={log}>
      {(data) => {
        return data.text ? (
          <Stack gap={4}>
            {data.truncated ? <Text size="xs" c="dimmed">Showing the most recent output.</Text> : null}
            <ScrollArea h={420} type="auto"><Code block aria-label="Serial output">{data.text}</Code></ScrollArea>
          </Stack>
        ) : <NoData title="No serial output yet" />;
      }}
    </QueryState>
  );
}
