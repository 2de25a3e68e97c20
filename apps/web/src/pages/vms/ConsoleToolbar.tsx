import { Button, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { ConsoleStatus } from './console-socket';

const color: Record<ConsoleStatus['state'], string> = { connecting: 'dimmed', connected: 'teal', closed: 'orange', failed: 'red' };

/** The bar above a console: its connection status (a live region), Reconnect, panel-specific buttons, and why a ticket was refused. */
export function ConsoleToolbar({ name, status, onReconnect, children }: { name: string; status: ConsoleStatus; onReconnect: () => void; children?: ReactNode }) {
  return (
    <>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c={color[status.state]} role="status" aria-live="polite" aria-label={`${name} status`}>
          {status.message}
        </Text>
        <Group gap="xs">
          {children}
          <Button size="xs" variant="default" onClick={onReconnect} disabled={status.state === 'connecting'} aria-label={`Reconnect the ${name.toLowerCase()}`}>
            Reconnect
          </Button>
        </Group>
      </Group>
      {status.error ? <ErrorAlert error={status.error} title={`Could not open the ${name.toLowerCase()}`} /> : null}
    </>
  );
}
