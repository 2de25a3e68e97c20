import { routes } from '@novacron/api';
import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useAuthConfig } from '../../api/hooks/auth.hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';
import { useForm } from '../../components/use-form';
import { useAuth } from '../../context/auth-context';

/** First run: creates the first administrator with the setup token the server printed at start. */
export default function SetupPage() {
  const config = useAuthConfig();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const form = useForm({ setupToken: params.get('token') ?? '', name: '', email: '', password: '' });
  const setup = useMutation({ mutationFn: (body: unknown) => api.call('auth.setup', { body: body as never }) });

  if (config.isPending) return <PageLoader />;
  if (config.data && !config.data.setupRequired) {
    return (
      <Stack>
        <Title order={2} size="h3">Already set up</Title>
        <Text size="sm">This NovaCron has an administrator.</Text>
        <Anchor component={Link} to="/login">Sign in</Anchor>
      </Stack>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = form.validate(routes['auth.setup'].body!, { ...form.values, email: form.values.email.trim(), setupToken: form.values.setupToken.trim() });
    if (!body) return;
    setup.mutate(body, {
      onSuccess: (result) => {
        signIn(result);
        navigate('/', { replace: true });
      },
      onError: form.fromProblem,
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">Set up NovaCron</Title>
        <Alert variant="light">
          Create the first administrator. The setup token was printed once in the server's output when it first started.
        </Alert>
        <TextInput label="Setup token" autoComplete="off" required autoFocus {...form.text('setupToken')} />
        <TextInput label="Your name" autoComplete="name" required {...form.text('name')} />
        <TextInput label="Email" type="email" autoComplete="username" required {...form.text('email')} />
        <PasswordInput label="Password" autoComplete="new-password" required {...form.text('password')} />
        <ErrorAlert error={setup.error} title="Could not set up" />
        <Button type="submit" loading={setup.isPending}>Create administrator</Button>
      </Stack>
    </form>
  );
}
