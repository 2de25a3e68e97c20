import type { RoleBinding } from '@novacron/api';
import { Badge, Group, Text } from '@mantine/core';
import { useTenantOptions } from './pickers';

/**
 * A user's or group's role bindings as badges. The tenant is named only when it differs from `homeTenantId`:
 * a binding on one's own tenant is the usual case and would only add noise.
 */
export function RoleBadges({ bindings, homeTenantId }: { bindings: RoleBinding[]; homeTenantId: string | null }) {
  const tenants = useTenantOptions();
  return (
    <Group gap={4}>
      {bindings.length ? bindings.map((r) => (
        <Badge key={`${r.role}@${r.tenantId}`} variant="light" color={r.tenantId === null ? 'grape' : 'blue'}>
          {r.role}{r.tenantId === null ? ' (global)' : r.tenantId !== homeTenantId ? ` @ ${tenants.nameOf(r.tenantId)}` : ''}
        </Badge>
      )) : <Text size="xs" c="dimmed">none</Text>}
    </Group>
  );
}
