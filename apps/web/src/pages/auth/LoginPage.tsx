import { routes } from '@novacron/api';
import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { useAuthConfig } from '../../api/hooks/auth.hooks';
import { problemCode } from '../../api/problem';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useForm } from '../../components/use-form';
import { useAuth } from '../../context/auth-context';
import { safeNext } from './safe-next';

/** Sign-in: email and password, then a TOTP or recovery code when the account has 2FA. */
export default function LoginPage() {
  const { status, signIn, lostReason } = useAuth();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const config = useAuthConfig();
  const form = useForm({ email: '', password: '', totp: '', recoveryCode: '' });
  const [step, setStep] = useState<'password' | 'totp' | 'recovery'>('password');
  const login = useMutation({ mutationFn: (body: unknown) => api.call('auth.login', { body: body as never }) });

  if (config.data?.setupRequired) return <Navigate to="/setup" replace />;
  if (status === 'authenticated') return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = form.values;
    const candidate = {
      email: v.email.trim(),
      password: v.password,
      ...(step === 'totp' ? { totp: v.totp.trim() } : {}),
      ...(step === 'recovery' ? { recoveryCode: v.recoveryCode.trim() } : {}),
    };
    const body = form.validate(routes['auth.login'].body!, candidate);
    if (!body) return;
    login.mutate(body, {
      onSuccess: (result) => {
        signIn(result);
        navigate(next, { replace: true });
      },
      onError: (err) => {
        if (problemCode(err) === 'TOTP_REQUIRED' && step === 'password') {
          login.reset();
          setStep('totp');
        } else form.fromProblem(err);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">Sign in</Title>
        {lostReason && !login.isPending ? <Alert color="yellow">{lostReason}</Alert> : null}
        {step === 'password' ? (
          <>
            <TextInput label="Email" type="email" autoComplete="username" required autoFocus {...form.text('email')} />
            <PasswordInput label="Password" autoComplete="current-password" required {...form.text('password')} />
          </>
        ) : step === 'totp' ? (
          <>
            <Text size="sm">Enter the six-digit code from your authenticator app.</Text>
            <TextInput label="Authentication code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required autoFocus {...form.text('totp')} />
            <Anchor component="button" type="button" size="sm" onClick={() => setStep('recovery')}>Use a recovery code instead</Anchor>
          </>
        ) : (
          <>
            <Text size="sm">Enter one of the recovery codes you saved when you set up two-factor authentication. Each works once.</Text>
            <TextInput label="Recovery code" autoComplete="off" required autoFocus {...form.text('recoveryCode')} />
            <Anchor component="button" type="button" size="sm" onClick={() => setStep('totp')}>Use an authentication code</Anchor>
          </>
        )}
        <ErrorAlert error={login.error} title="Could not sign in" />
        <Button type="submit" loading={login.isPending} fullWidth>
          {step === 'password' ? 'Sign in' : 'Verify'}
        </Button>
        <Group justify="space-between">
          <Anchor component={Link} to="/forgot-password" size="sm">Forgot password?</Anchor>
          {config.data?.registration === 'open' ? <Anchor component={Link} to="/register" size="sm">Create an account</Anchor> : null}
        </Group>
      </Stack>
    </form>
  );
}
