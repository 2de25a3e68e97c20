import { routes } from '@novacron/api';
import { Alert, Button, Code, CopyButton, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { useCreateUser, useInviteUser } from '../../api/hooks/users.hooks';
import { DialogActions } from '../../components/DialogActions';
import { useDialogForm } from '../../components/use-dialog-form';
import { useAuth } from '../../context/auth-context';
import { useRoleOptions, useTenantOptions } from './pickers';

/** Emails a registration link; shows the link too, so it can be passed on when mail is not set up. */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { me } = useAuth();
  const tenants = useTenantOptions();
  const roles = useRoleOptions();
  const invite = useInviteUser();
  const { form, close } = useDialogForm({ email: '', tenantId: me?.tenantId ?? '', role: 'viewer' }, invite, onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = form.validate(routes['users.invite'].body!, { ...form.values, email: form.values.email.trim() });
    if (body) invite.mutate({ body }, { onError: form.fromProblem });
  };
  return (
    <Modal opened={opened} onClose={close} title="Invite a user">
      {invite.data ? (
        <Stack>
          {invite.data.emailSent ? (
            <Alert color="green">An invitation was emailed to {invite.data.email}.</Alert>
          ) : (
            <Alert color="yellow" title="The email was not sent">{invite.data.emailError ?? 'Mail is not configured.'} Pass the link on yourself.</Alert>
          )}
          <Text size="sm">Invitation link (valid until {new Date(invite.data.expiresAt).toLocaleString()}):</Text>
          <Code block aria-label="Invitation link">{invite.data.inviteUrl}</Code>
          <Group justify="flex-end">
            <CopyButton value={invite.data.inviteUrl}>
              {({ copied, copy }) => <Button variant="light" onClick={copy}>{copied ? 'Copied' : 'Copy link'}</Button>}
            </CopyButton>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput label="Email" type="email" required autoFocus {...form.text('email')} />
            <Select label="Tenant" required data={tenants.options} value={form.values.tenantId} onChange={(v) => form.set('tenantId', v ?? '')} error={form.errors.tenantId} allowDeselect={false} />
            <Select label="Role" required data={roles.options} value={form.values.role} onChange={(v) => form.set('role', v ?? '')} error={form.errors.role} allowDeselect={false} />
            <DialogActions error={invite.error} errorTitle="Could not invite" onCancel={close} submitLabel="Send invitation" pending={invite.isPending} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** Creates an account directly; without a password the user sets one with "forgot password". */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { me } = useAuth();
  const tenants = useTenantOptions();
  const roles = useRoleOptions();
  const create = useCreateUser();
  const initial = { name: '', email: '', tenantId: me?.tenantId ?? '', password: '', role: 'viewer' };
  const { form, close, closeOnSuccess } = useDialogForm(initial, create, onClose);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = form.values;
    const body = form.validate(routes['users.create'].body!, {
      name: v.name, email: v.email.trim(), tenantId: v.tenantId,
      ...(v.password ? { password: v.password } : {}),
      roles: v.role ? [{ role: v.role, tenantId: v.tenantId }] : [],
    });
    if (body) create.mutate({ body }, closeOnSuccess((user) => `Created ${user.email}`));
  };
  return (
    <Modal opened={opened} onClose={close} title="Create a user">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required autoFocus {...form.text('name')} />
          <TextInput label="Email" type="email" required {...form.text('email')} />
          <Select label="Home tenant" required data={tenants.options} value={form.values.tenantId} onChange={(v) => form.set('tenantId', v ?? '')} error={form.errors.tenantId} allowDeselect={false} />
          <Select label="Role on that tenant" data={roles.options} value={form.values.role} onChange={(v) => form.set('role', v ?? '')} clearable placeholder="No role" />
          <PasswordInput label="Initial password" description="Leave empty: the user sets one with “Forgot password”." autoComplete="new-password" {...form.text('password')} />
          <DialogActions error={create.error} errorTitle="Could not create the user" onCancel={close} submitLabel="Create user" pending={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
