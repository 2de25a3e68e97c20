import { Labels } from '@novacron/api';
import { ActionIcon, Button, Group, Stack, Text, TextInput } from '@mantine/core';

/** Label rows as edited: order kept, empty rows allowed until saved. */
export type LabelRow = { key: string; value: string };

/** Rows of a label map. */
export function labelRows(labels: Record<string, string>): LabelRow[] {
  return Object.entries(labels).map(([key, value]) => ({ key, value }));
}

/** The label map of rows (blank keys dropped), or the reason it is not valid. */
export function rowsToLabels(rows: LabelRow[]): { labels: Record<string, string> } | { error: string } {
  const filled = rows.filter((r) => r.key.trim());
  const keys = filled.map((r) => r.key.trim());
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) return { error: `The label ${dup} is there twice.` };
  const parsed = Labels.safeParse(Object.fromEntries(filled.map((r) => [r.key.trim(), r.value.trim()])));
  if (!parsed.success) return { error: 'Label keys are 1–63 letters, digits or . _ / - and values at most 255 characters.' };
  return { labels: parsed.data };
}

/** Key/value label rows with add and remove. */
export function LabelsEditor({ rows, onChange, error }: { rows: LabelRow[]; onChange: (rows: LabelRow[]) => void; error?: string | null }) {
  const set = (i: number, patch: Partial<LabelRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap="xs" role="group" aria-label="Labels">
      <Text size="sm" fw={500}>Labels</Text>
      {rows.length === 0 ? <Text size="xs" c="dimmed">No labels.</Text> : null}
      {rows.map((r, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
          <TextInput aria-label={`Label ${i + 1} key`} placeholder="key" value={r.key} onChange={(e) => set(i, { key: e.currentTarget.value })} style={{ flex: 1 }} />
          <TextInput aria-label={`Label ${i + 1} value`} placeholder="value" value={r.value} onChange={(e) => set(i, { value: e.currentTarget.value })} style={{ flex: 1 }} />
          <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove label ${r.key || i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>×</ActionIcon>
        </Group>
      ))}
      {error ? <Text size="xs" c="red" role="alert">{error}</Text> : null}
      <Group><Button size="xs" variant="light" onClick={() => onChange([...rows, { key: '', value: '' }])}>Add label</Button></Group>
    </Stack>
  );
}
