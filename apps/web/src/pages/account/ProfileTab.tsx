import { routes } from '@novacron/api';
import { Alert, Badge, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { FormEvent } from 'react';
import { useChangePassword, useResendVerification, useUpdateMe } from '../../api/hooks/auth.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatTime } from '../../components/format';
import { useForm } from '../../components/use-form';
import { useAuth } from '../../context/auth-context';

/** Name, email, verification state. */
export function ProfileTab() {
  const { me } = useAuth();
  const update = useUpdateMe();
  const resend = useResendVerification();
  const form = useForm({ name: me?.name ?? '' });
  if (!me) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = form.validate(routes['auth.updateMe'].body!);
    if (body) update.mutate({ body }, { onSuccess: () => notifications.show({ color: 'green', message: 'Profile saved' }), onError: form.fromProblem });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <TextInput label="Email" value={me.email} readOnly
          rightSectionWidth={90} rightSection={me.emailVerified ? <Badge color="green" variant="light">verified</Badge> : <Badge color="gray" variant="light">unverified</Badge>} />
        {!me.emailVerified ? (
          <Group>
            <Button variant="light" size="xs" loading={resend.isPending} onClick={() => resend.mutate({})}>Send verification email again</Button>
            {resend.isSuccess ? <Text size="sm" c="green">Sent. Check your inbox.</Text> : null}
          </Group>
        ) : null}
        <ErrorAlert error={resend.error} />
        <TextInput label="Name" required {...form.text('name')} />
        <Text size="sm" c="dimmed">Member since {formatTime(me.createdAt)}</Text>
        <ErrorAlert error={update.error} title="Could not save" />
        <Group><Button type="submit" loading={update.isPending}>Save profile</Button></Group>
      </Stack>
    </form>
  );
}

/** Changes the password; every other session is signed out by the server. */
export function PasswordTab() {
  const change = useChangePassword();
  const form = useForm({ currentPassword: '', newPassword: '', confirm: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.values.newPassword !== form.values.confirm) return form.setErrors({ confirm: 'The passwords do not match' });
    const body = form.validate(routes['auth.changePassword'].body!, { currentPassword: form.values.currentPassword, newPassword: form.values.newPassword });
    if (body) change.mutate({ body }, { onSuccess: () => form.setValues({ currentPassword: '', newPassword: '', confirm: '' }), onError: form.fromProblem });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        {change.isSuccess ? <Alert color="green">Password changed. Your other sessions were signed out.</Alert> : null}
        <PasswordInput label="Current password" autoComplete="current-password" required {...form.text('currentPassword')} />
        <PasswordInput label="New password" autoComplete="new-password" required {...form.text('newPassword')} />
        <PasswordInput label="Repeat the new password" autoComplete="new-password" required {...form.text('confirm')} />
        <ErrorAlert error={change.error} title="Could not change the password" />
        <Group><Button type="submit" loading={change.isPending}>Change password</Button></Group>
      </Stack>
    </form>
  );
}
