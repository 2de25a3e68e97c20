import { Button, Group } from '@mantine/core';
import { ErrorAlert } from './ErrorAlert';

/**
 * The foot of a dialog: the failed request's error, then Cancel and the primary button.
 * Without `onSubmit` the primary button submits the surrounding form (so Enter works too).
 */
export function DialogActions({ error, errorTitle, onCancel, submitLabel, pending, onSubmit }: {
  error: unknown;
  errorTitle: string;
  onCancel: () => void;
  submitLabel: string;
  pending: boolean;
  onSubmit?: () => void;
}) {
  return (
    <>
      <ErrorAlert error={error} title={errorTitle} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>Cancel</Button>
        {onSubmit ? (
          <Button onClick={onSubmit} loading={pending}>{submitLabel}</Button>
        ) : (
          <Button type="submit" loading={pending}>{submitLabel}</Button>
        )}
      </Group>
    </>
  );
}
