import type { Permission } from '@novacron/api';
import { Button, Tooltip, type ButtonProps } from '@mantine/core';
import type { MouseEventHandler, ReactNode } from 'react';
import { useAuth } from '../context/auth-context';

/** Props of PermissionButton: a Mantine button plus the permission it needs. */
export interface PermissionButtonProps extends ButtonProps {
  /** The permission the action needs; omitted for actions every signed-in user may take. */
  permission?: Permission;
  /** Tenant the action applies to; omitted = any tenant will do. */
  tenantId?: string | null;
  /** Another reason the action is not possible now (shown as the tooltip). */
  disabledReason?: string | null;
  onClick?: MouseEventHandler<HTMLButtonElement>;
  type?: 'button' | 'submit';
  'aria-label'?: string;
  children: ReactNode;
}

/** A button that is disabled, with the reason in a tooltip, when the user may not do what it does.
 * It stays focusable (aria-disabled rather than disabled) so keyboard and pointer users can read why. */
export function PermissionButton({ permission, tenantId, disabledReason, onClick, children, ...rest }: PermissionButtonProps) {
  const { can } = useAuth();
  const reason = permission && !can(permission, tenantId) ? `You need the ${permission} permission to do this.` : (disabledReason ?? null);
  if (!reason) return <Button onClick={onClick} {...rest}>{children}</Button>;
  return (
    <Tooltip label={reason} withArrow>
      <Button
        {...rest}
        loading={false}
        aria-disabled="true"
        data-disabled
        title={reason}
        onClick={(e) => e.preventDefault()}
        type="button"
      >
        {children}
      </Button>
    </Tooltip>
  );
}
