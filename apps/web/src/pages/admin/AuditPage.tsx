import type { AuditEntry } from '@novacron/api';
import { Alert, Badge, Button, Code, Collapse, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { exportAuditCsv, useAudit, useAuditVerify, type AuditFilters } from '../../api/hooks/audit.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CursorPager, useCursorPager } from '../../components/CursorPager';
import { NoData } from '../../components/NoData';
import { PageHeader } from '../../components/PageHeader';
import { PermissionButton } from '../../components/PermissionButton';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';
import { useAuth } from '../../context/auth-context';
import { download } from './audit-csv';
import { useTenantOptions } from './pickers';

const outcomeColor: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

function Row({ e, tenantName }: { e: AuditEntry; tenantName: (id: string | null) => string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Table.Tr>
        <Table.Td><Text size="xs" ff="monospace">{e.seq}</Text></Table.Td>
        <Table.Td><Text size="sm">{formatTime(e.time)}</Text></Table.Td>
        <Table.Td><Text size="sm">{e.actorLabel}</Text></Table.Td>
        <Table.Td><Text size="sm" ff="monospace">{e.action}</Text></Table.Td>
        <Table.Td><Text size="sm">{e.target ?? '—'}</Text></Table.Td>
        <Table.Td><Text size="sm">{e.tenantId ? tenantName(e.tenantId) : '—'}</Text></Table.Td>
        <Table.Td><Badge variant="light" color={outcomeColor[e.outcome] ?? 'gray'}>{e.outcome}</Badge></Table.Td>
        <Table.Td>
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-label={`Details of entry ${e.seq}`}>
            {open ? 'Hide' : 'Details'}
          </Button>
        </Table.Td>
      </Table.Tr>
      <Table.Tr>
        <Table.Td colSpan={8} p={0} style={{ borderTop: 0 }}>
          <Collapse expanded={open}>
            <Code block m="xs">{JSON.stringify({ ip: e.ip, requestId: e.requestId, actorId: e.actorId, details: e.details, prevHash: e.prevHash, hash: e.hash }, null, 2)}</Code>
          </Collapse>
        </Table.Td>
      </Table.Tr>
    </>
  );
}

const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The audit log: filter, page, verify the hash chain, export what matches as CSV. */
export default function AuditPage() {
  const { me } = useAuth();
  const tenants = useTenantOptions();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [target, setTarget] = useState('');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [tenant, setTenant] = useState<string | null>(null);
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [debounced] = useDebouncedValue({ actor: actor.trim(), action: action.trim(), target: target.trim() }, 300);
  const pager = useCursorPager();
  const filters: AuditFilters = Object.fromEntries(
    Object.entries({ ...debounced, outcome, tenant, since: toInstant(since), until: toInstant(until) }).filter(([, v]) => v),
  );
  const audit = useAudit(filters, pager.cursor);
  const verify = useAuditVerify();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const globalAudit = me?.permissions.global.includes('audit:read') ?? false;
  const change = <T,>(fn: (v: T) => void) => (v: T) => { fn(v); pager.reset(); };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      // The server builds the CSV (streamed, every matching entry); the browser only saves it.
      const file = await exportAuditCsv(filters);
      download(file.name, file.blob);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack>
      <PageHeader
        title="Audit log"
        description="Every change, sign-in and refused request, hash-chained so tampering shows."
        actions={
          <>
            <PermissionButton permission="audit:read" variant="light" loading={exporting} onClick={exportCsv}>Export CSV</PermissionButton>
            <PermissionButton permission="audit:read" tenantId={null} loading={verify.isPending} onClick={() => verify.mutate()}
              disabledReason={globalAudit ? null : 'Verifying the chain needs audit:read on every tenant.'}>
              Verify chain
            </PermissionButton>
          </>
        }
      />
      {verify.data ? (
        verify.data.ok ? (
          <Alert color="green" title="Chain verified" role="status">All {verify.data.entries} entries link up: nothing was changed or removed.</Alert>
        ) : (
          <Alert color="red" title="Chain broken" role="alert">Entry {verify.data.firstBrokenSeq} does not match: {verify.data.reason}</Alert>
        )
      ) : null}
      <ErrorAlert error={verify.error ?? exportError} />
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput label="Actor" placeholder="Email or user id" value={actor} onChange={(e) => change(setActor)(e.currentTarget.value)} w={200} />
        <TextInput label="Action" placeholder="e.g. users. or auth.login" value={action} onChange={(e) => change(setAction)(e.currentTarget.value)} w={200} />
        <TextInput label="Target" placeholder="Resource id" value={target} onChange={(e) => change(setTarget)(e.currentTarget.value)} w={160} />
        <Select label="Outcome" placeholder="Any" clearable data={['success', 'failure', 'denied']} value={outcome} onChange={change(setOutcome)} w={130} />
        <Select label="Tenant" placeholder="Any" clearable data={tenants.options} value={tenant} onChange={change(setTenant)} w={170} />
        <TextInput label="From" type="datetime-local" value={since} onChange={(e) => change(setSince)(e.currentTarget.value)} />
        <TextInput label="Until" type="datetime-local" value={until} onChange={(e) => change(setUntil)(e.currentTarget.value)} />
      </Group>
      <QueryState query={audit}>
        {(page) =>
          page.items.length === 0 ? (
            <NoData title="No entries" description="No audit entry matches these filters." />
          ) : (
            <>
              <Table.ScrollContainer minWidth={900}>
                <Table aria-label="Audit entries" striped>
                  <Table.Thead>
                    <Table.Tr><Table.Th>#</Table.Th><Table.Th>Time</Table.Th><Table.Th>Actor</Table.Th><Table.Th>Action</Table.Th><Table.Th>Target</Table.Th><Table.Th>Tenant</Table.Th><Table.Th>Outcome</Table.Th><Table.Th /></Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>{page.items.map((e) => <Row key={e.id} e={e} tenantName={tenants.nameOf} />)}</Table.Tbody>
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
