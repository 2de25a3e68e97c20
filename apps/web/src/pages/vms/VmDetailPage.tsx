import { Anchor, Badge, Group, Stack, Tabs, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useVm } from '../../api/hooks/compute.hooks';
import { QueryState } from '../../components/QueryState';
import { useAuth } from '../../context/auth-context';
import { LazySerialConsole, LazyVncConsole } from './LazyConsolePanels';
import { SerialLogPanel } from './SerialLogPanel';
import { SnapshotsPanel } from './SnapshotsPanel';
import { VmActions } from './VmActions';
import { VmHeaderBadges } from './VmHeaderBadges';
import { VmOverviewPanel } from './VmOverviewPanel';
import { VmOperationsPanel } from './VmOperationsPanel';
import { stateColor } from './vm-actions';

/** One VM: status, actions, configuration, snapshots, serial log and its operations. */
export default function VmDetailPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const vm = useVm(id);
  return (
    <QueryState query={vm}>
      {(v) => (
        <Stack>
          <Anchor component={Link} to="/vms" size="sm">← Virtual machines</Anchor>
          <Group justify="space-between" align="flex-start" wrap="wrap">
            <Group gap="sm">
              <Title order={2}>{v.name}</Title>
              <Badge size="lg" color={stateColor[v.state]} variant="light" aria-label={`State: ${v.state}`}>{v.state}</Badge>
              <VmHeaderBadges vm={v} />
            </Group>
            <VmActions vm={v} />
          </Group>
          <Tabs defaultValue="overview" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="overview">Overview</Tabs.Tab>
              <Tabs.Tab value="snapshots">Snapshots</Tabs.Tab>
              {can('vm:console', v.tenantId) ? <Tabs.Tab value="serial">Serial log</Tabs.Tab> : null}
              {can('vm:console', v.tenantId) ? <Tabs.Tab value="serial-console">Serial console</Tabs.Tab> : null}
              {can('vm:console', v.tenantId) ? <Tabs.Tab value="vnc-console">Graphical console</Tabs.Tab> : null}
              <Tabs.Tab value="operations">Operations</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="overview" pt="md"><VmOverviewPanel vm={v} /></Tabs.Panel>
            <Tabs.Panel value="snapshots" pt="md"><SnapshotsPanel vm={v} /></Tabs.Panel>
            <Tabs.Panel value="serial" pt="md"><SerialLogPanel vm={v} /></Tabs.Panel>
            <Tabs.Panel value="serial-console" pt="md"><LazySerialConsole vm={v} /></Tabs.Panel>
            <Tabs.Panel value="vnc-console" pt="md"><LazyVncConsole vm={v} /></Tabs.Panel>
            <Tabs.Panel value="operations" pt="md"><VmOperationsPanel vm={v} /></Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </QueryState>
  );
}
