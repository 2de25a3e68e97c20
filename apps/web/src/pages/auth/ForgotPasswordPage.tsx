import { routes } from '@novacron/api';
import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/use-form';

/** Asks for a password reset link by email. The answer never says whether the account exists. */
export default function ForgotPasswordPage() {
  const form = useForm({ email: '' });
  const forgot = useMutation({ mutationFn: (body: { email: string }) => api.call('auth.forgotPassword', { body }) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = form.validate(routes['auth.forgotPassword'].body!, { email: form.values.email.trim() });
    if (body) forgot.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">Reset your password</Title>
        {forgot.isSuccess ? (
          <Alert color="green" title="Check your email">
            If an account exists for {form.values.email.trim()}, we sent it a link to set a new password. The link works for 30 minutes.
          </Alert>
        ) : (
          <>
            <Text size="sm">Enter your account's email and we will send you a link to set a new password.</Text>
            <TextInput label="Email" type="email" autoComplete="username" required autoFocus {...form.text('email')} />
            <ErrorAlert error={forgot.error} />
            <Button type="submit" loading={forgot.isPending}>Send reset link</Button>
          </>
        )}
        <Anchor component={Link} to="/login" size="sm">Back to sign in</Anchor>
      </Stack>
    </form>
  );
}
