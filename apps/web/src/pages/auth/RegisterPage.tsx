import { routes } from '@novacron/api';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useAuthConfig } from '../../api/hooks/auth.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useForm } from '../../components/use-form';

/** Creates an account: open registration, or from an invite link (`/register?invite=...`). */
export default function RegisterPage() {
  const [params] = useSearchParams();
  const invite = params.get('invite') ?? undefined;
  const config = useAuthConfig();
  const form = useForm({ name: '', email: params.get('email') ?? '', password: '' });
  const register = useMutation({ mutationFn: (body: unknown) => api.call('auth.register', { body: body as never }) });

  if (config.isPending) return <PageLoader />;
  const mode = config.data?.registration;
  if (!invite && mode !== 'open') {
    return (
      <Stack>
        <Title order={2} size="h3">Registration is by invitation</Title>
        <Text size="sm">
          {mode === 'closed' ? 'New accounts are created by an administrator.' : 'Ask an administrator for an invitation link.'}
        </Text>
        <Anchor component={Link} to="/login">Back to sign in</Anchor>
      </Stack>
    );
  }
  if (register.isSuccess) {
    return (
      <Stack>
        <Title order={2} size="h3">Account created</Title>
        {config.data?.requireEmailVerification && !register.data.emailVerified ? (
          <Alert color="blue">We sent a verification link to {register.data.email}. Open it, then sign in.</Alert>
        ) : (
          <Text size="sm">You can sign in now.</Text>
        )}
        <Anchor component={Link} to="/login">Sign in</Anchor>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = form.validate(routes['auth.register'].body!, { ...form.values, email: form.values.email.trim(), inviteToken: invite });
    if (body) register.mutate(body, { onError: form.fromProblem });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">Create your account</Title>
        {invite ? <Text size="sm" c="dimmed">You were invited to NovaCron.</Text> : null}
        <TextInput label="Your name" autoComplete="name" required autoFocus {...form.text('name')} />
        <TextInput label="Email" type="email" autoComplete="username" required {...form.text('email')} />
        <PasswordInput label="Password" autoComplete="new-password" required {...form.text('password')} />
        <ErrorAlert error={register.error} title="Could not create the account" />
        <Button type="submit" loading={register.isPending}>Create account</Button>
        <Anchor component={Link} to="/login" size="sm">I already have an account</Anchor>
      </Stack>
    </form>
  );
}
