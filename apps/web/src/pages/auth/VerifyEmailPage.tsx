import { Alert, Anchor, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageLoader } from '../../components/PageLoader';

// Tokens are single use: remember each verification so a remount (React's strict mode) does not spend it twice.
const attempts = new Map<string, Promise<null>>();
function verifyOnce(token: string): Promise<null> {
  let p = attempts.get(token);
  if (!p) {
    p = api.call('auth.verifyEmail', { body: { token } }).then(() => null);
    attempts.set(token, p);
  }
  return p;
}

/** Confirms an email address from the emailed link (`/verify-email?token=...`). */
export default function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useQuery({ queryKey: ['verify-email', token], queryFn: () => verifyOnce(token), enabled: !!token, retry: false, staleTime: Infinity });

  return (
    <Stack>
      <Title order={2} size="h3">Email verification</Title>
      {!token ? (
        <Alert color="red">This link is incomplete. Open the link from the email again.</Alert>
      ) : verify.isPending ? (
        <PageLoader />
      ) : verify.isError ? (
        <ErrorAlert error={verify.error} title="Could not verify the email" />
      ) : (
        <Alert color="green" title="Email verified">Your email address is confirmed.</Alert>
      )}
      <Anchor component={Link} to="/login">Continue to sign in</Anchor>
    </Stack>
  );
}
