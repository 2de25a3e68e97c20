import { VmState, type Vm } from '@novacron/api';
import { Anchor, Badge, Checkbox, Group, Select, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useNodes, useVms, type VmFilters } from '../../api/hooks/compute.hooks';
import { problemMessage } from '../../api/problem';
import { keys } from '../../api/query-keys';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CursorPager, useCursorPager } from '../../components/CursorPager';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { useAuth } from '../../context/auth-context';
import { useTenantOptions } from '../admin/pickers';
import { actionBlocked, actionLabel, formatMiB, runVmAction, stateColor, type VmAction } from './vm-actions';

type SortKey = 'name' | 'state' | 'vcpus' | 'memoryMiB' | 'createdAt';

/** The VM list: search, filters, sorting, bulk power actions and delete; states update live from events. */
export default function VmsPage() {
  const { can } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const tenants = useTenantOptions();
  const nodes = useNodes(can('node:read'));
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 250);
  const [state, setState] = useState<string | null>(null);
  const [node, setNode] = useState<string | null>(null);
  const [tenant, setTenant] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [template, setTemplate] = useState<string | null>(null);
  const [debouncedLabel] = useDebouncedValue(label.trim(), 300);
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'createdAt', asc: false });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const pager = useCursorPager();
  const filters: VmFilters = Object.fromEntries(
    Object.entries({ limit: 50, text: debounced, state, node, tenant, label: debouncedLabel, template }).filter(([, v]) => v),
  ) as VmFilters;
  const vms = useVms(filters, pager.cursor);
  const change = <T,>(fn: (v: T) => void) => (v: T) => { fn(v); pager.reset(); setSelected(new Set()); };
  const nodeName = (id: string | null) => (id ? (nodes.data?.items.find((n) => n.id === id)?.name ?? id) : '—');

  const rows = useMemo(() => {
    const items = [...(vms.data?.items ?? [])];
    const dir = sort.asc ? 1 : -1;
    return items.sort((a, b) => (a[sort.key] < b[sort.key] ? -dir : a[sort.key] > b[sort.key] ? dir : 0));
  }, [vms.data, sort]);
  const chosen = rows.filter((v) => selected.has(v.id));

  const bulk = async (action: VmAction | 'delete') => {
    setBusy(action);
    const targets = action === 'delete' ? chosen : chosen.filter((v) => !actionBlocked(v, action));
    const results = await Promise.allSettled(
      targets.map((v) => (action === 'delete' ? api.call('vms.delete', { params: { id: v.id } }) : runVmAction(v.id, action))),
    );
    setBusy(null);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i].name}: ${problemMessage(r.reason)}`] : []));
    const skipped = chosen.length - targets.length;
    notifications.show({
      color: failed.length ? 'red' : 'green',
      title: `${action === 'delete' ? 'Delete' : actionLabel[action]}: ${targets.length - failed.length} of ${chosen.length} accepted${skipped ? ` (${skipped} not in a state for it)` : ''}`,
      message: failed.length ? failed.join('\n') : 'Progress is under Operations; states update here as they change.',
    });
    void qc.invalidateQueries({ queryKey: keys.vms.all });
    if (action === 'delete') setSelected(new Set());
  };

  const header = (key: SortKey, label: string) => (
    <Table.Th>
      <UnstyledButton onClick={() => setSort((s) => ({ key, asc: s.key === key ? !s.asc : true }))} aria-label={`Sort by ${label}`}>
        <Text size="sm" fw={700}>{label}{sort.key === key ? (sort.asc ? ' ▲' : ' ▼') : ''}</Text>
      </UnstyledButton>
    </Table.Th>
  );

  return (
    <Stack>
      <PageHeader
        title="Virtual machines"
        description="States update live as nodes report them."
        actions={<PermissionButton permission="vm:write" onClick={() => navigate('/vms/new')}>Create VM</PermissionButton>}
      />
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput label="Search" placeholder="Name or description" value={text} onChange={(e) => change(setText)(e.currentTarget.value)} w={220} />
        <Select label="State" placeholder="Any state" clearable data={VmState.options} value={state} onChange={change(setState)} w={150} />
        {can('node:read') ? <Select label="Node" placeholder="Any node" clearable data={(nodes.data?.items ?? []).map((n) => ({ value: n.id, label: n.name }))} value={node} onChange={change(setNode)} w={170} /> : null}
        {tenants.options.length > 1 ? <Select label="Tenant" placeholder="Any tenant" clearable data={tenants.options} value={tenant} onChange={change(setTenant)} w={170} /> : null}
        <TextInput label="Label" placeholder="key or key=value" value={label} onChange={(e) => change(setLabel)(e.currentTarget.value)} w={170} />
        <Select label="Templates" placeholder="VMs and templates" clearable value={template} onChange={change(setTemplate)} w={190}
          data={[{ value: 'true', label: 'Only templates' }, { value: 'false', label: 'No templates' }]} />
      </Group>
      {chosen.length ? (
        <Group gap="xs" aria-label="Bulk actions">
          <Text size="sm">{chosen.length} selected</Text>
          {(['start', 'shutdown', 'stop'] as const).map((a) => (
            <PermissionButton key={a} permission="vm:power" size="xs" variant="light" loading={busy === a} onClick={() => void bulk(a)}
              disabledReason={chosen.some((v) => !actionBlocked(v, a)) ? null : `None of the selected VMs can ${actionLabel[a].toLowerCase()} now.`}>
              {actionLabel[a]}
            </PermissionButton>
          ))}
          <ConfirmButton permission="vm:delete" size="xs" color="red" variant="light" title="Delete VMs" confirmLabel={`Delete ${chosen.length} VM${chosen.length > 1 ? 's' : ''}`}
            message={`Delete ${chosen.map((v) => v.name).join(', ')} with the disks made for them? This cannot be undone.`} onConfirm={() => bulk('delete')}>
            Delete
          </ConfirmButton>
        </Group>
      ) : null}
      <QueryState query={vms}>
        {(page) =>
          page.items.length === 0 ? (
            <NoData title={Object.keys(filters).length > 1 ? 'No VM matches' : 'No virtual machines yet'}
              description={Object.keys(filters).length > 1 ? 'Change the filters to see more.' : 'Create one to get started.'} />
          ) : (
            <>
              <Table.ScrollContainer minWidth={860}>
                <Table aria-label="Virtual machines" striped highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={40}>
                        <Checkbox aria-label="Select all on this page" checked={chosen.length === rows.length} indeterminate={chosen.length > 0 && chosen.length < rows.length}
                          onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((v) => v.id)) : new Set())} />
                      </Table.Th>
                      {header('name', 'Name')}{header('state', 'State')}<Table.Th>Node</Table.Th>{header('vcpus', 'vCPUs')}{header('memoryMiB', 'Memory')}<Table.Th>Addresses</Table.Th><Table.Th>Labels</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((v: Vm) => (
                      <Table.Tr key={v.id}>
                        <Table.Td>
                          <Checkbox aria-label={`Select ${v.name}`} checked={selected.has(v.id)}
                            onChange={(e) => { const next = new Set(selected); if (e.currentTarget.checked) next.add(v.id); else next.delete(v.id); setSelected(next); }} />
                        </Table.Td>
                        <Table.Td><Anchor component={Link} to={`/vms/${v.id}`} fw={500}>{v.name}</Anchor>{v.isTemplate ? <Badge ml={6} size="xs" variant="outline">template</Badge> : null}</Table.Td>
                        <Table.Td><Badge color={stateColor[v.state]} variant="light" aria-label={`State of ${v.name}: ${v.state}`}>{v.state}</Badge></Table.Td>
                        <Table.Td><Text size="sm">{nodeName(v.nodeId)}</Text></Table.Td>
                        <Table.Td><Text size="sm">{v.vcpus}</Text></Table.Td>
                        <Table.Td><Text size="sm">{formatMiB(v.memoryMiB)}</Text></Table.Td>
                        <Table.Td><Text size="sm">{v.guest?.ipAddresses.join(', ') || '—'}</Text></Table.Td>
                        <Table.Td><Group gap={4}>{Object.entries(v.labels).map(([k, val]) => <Badge key={k} size="xs" variant="default">{val ? `${k}=${val}` : k}</Badge>)}</Group></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <CursorPager pager={pager} nextCursor={page.nextCursor} count={page.items.length} />
            </>
          )
        }
      </QueryState>
      {!vms.isPending && !vms.data?.items.length && !can('vm:write') ? <Text size="sm" c="dimmed">Creating VMs needs the vm:write permission.</Text> : null}
      {!nodes.isPending && nodes.data && nodes.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">No node has joined yet: VMs can be created once a node agent connects (see <Anchor component={Link} to="/nodes">Nodes</Anchor>).</Text>
      ) : null}
    </Stack>
  );
}
