import { routes } from '@novacron/api';
import { Alert, Anchor, Button, PasswordInput, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/use-form';

/** Sets a new password from the emailed link (`/reset-password?token=...`). */
export default function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const form = useForm({ password: '', confirm: '' });
  const reset = useMutation({ mutationFn: (body: { token: string; password: string }) => api.call('auth.resetPassword', { body }) });

  if (!token) {
    return (
      <Stack>
        <Alert color="red" title="This link is incomplete">Open the link from the email again, or ask for a new one.</Alert>
        <Anchor component={Link} to="/forgot-password">Ask for a new link</Anchor>
      </Stack>
    );
  }
  if (reset.isSuccess) {
    return (
      <Stack>
        <Alert color="green" title="Password changed">Your password was changed and every session was signed out.</Alert>
        <Anchor component={Link} to="/login">Sign in with the new password</Anchor>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.values.password !== form.values.confirm) return form.setErrors({ confirm: 'The passwords do not match' });
    const body = form.validate(routes['auth.resetPassword'].body!, { token, password: form.values.password });
    if (body) reset.mutate(body, { onError: form.fromProblem });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">Choose a new password</Title>
        <PasswordInput label="New password" autoComplete="new-password" required autoFocus {...form.text('password')} />
        <PasswordInput label="Repeat the new password" autoComplete="new-password" required {...form.text('confirm')} />
        <ErrorAlert error={reset.error} title="Could not change the password" />
        <Button type="submit" loading={reset.isPending}>Set password</Button>
      </Stack>
    </form>
  );
}
