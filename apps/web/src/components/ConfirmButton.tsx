import type { Permission } from '@novacron/api';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { PermissionButton, type PermissionButtonProps } from './PermissionButton';

/** A destructive or consequential action behind a confirmation dialog; the dialog shows the error if it fails. */
export function ConfirmButton({
  permission, tenantId, disabledReason, title, message, confirmLabel, onConfirm, children, ...buttonProps
}: Omit<PermissionButtonProps, 'onClick'> & {
  permission?: Permission;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <PermissionButton permission={permission} tenantId={tenantId} disabledReason={disabledReason} onClick={() => setOpen(true)} {...buttonProps}>
        {children}
      </PermissionButton>
      <Modal opened={open} onClose={() => setOpen(false)} title={title}>
        <Stack>
          <Text size="sm">{message}</Text>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>Cancel</Button>
            <Button color="red" loading={pending} onClick={confirm}>{confirmLabel}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
