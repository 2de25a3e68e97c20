import { Group, Progress, Stack, Text } from '@mantine/core';

/** Usage against a quota: a bar that turns orange then red as it fills; unlimited quotas show the usage alone. */
export function UsageBar({ label, used, limit, unit = '' }: { label: string; used: number; limit: number | null; unit?: string }) {
  const pct = limit === null ? 0 : limit === 0 ? (used > 0 ? 100 : 0) : Math.min(100, (used / limit) * 100);
  const color = pct >= 90 ? 'red' : pct >= 75 ? 'orange' : 'blue';
  const text = limit === null ? `${used}${unit} used, no limit` : `${used}${unit} of ${limit}${unit}`;
  return (
    <Stack gap={2}>
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="dimmed">{label}</Text>
        <Text size="xs">{text}</Text>
      </Group>
      <Progress value={limit === null ? 0 : pct} color={color} aria-label={`${label}: ${text}`} size="sm" />
    </Stack>
  );
}
