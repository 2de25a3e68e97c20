import { Alert } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useAuth } from '../context/auth-context';
import { PageLoader } from './PageLoader';

/** Guards the signed-in pages: restores the session, or sends to login remembering where the user was going. */
export function RequireAuth() {
  const { status, me } = useAuth();
  const location = useLocation();
  if (status === 'loading' || (status === 'authenticated' && !me)) return <PageLoader />;
  if (status === 'anonymous') {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me?.mustEnroll2fa && !location.pathname.startsWith('/account')) return <Navigate to="/account?tab=security" replace />;
  return <Outlet />;
}

/** The banner shown while an administrator requires 2FA and the user has not enrolled. */
export function Enroll2faBanner() {
  const { me } = useAuth();
  if (!me?.mustEnroll2fa) return null;
  return (
    <Alert color="orange" title="Two-factor authentication required" mb="md">
      An administrator requires two-factor authentication. Set it up below to use the rest of NovaCron.
    </Alert>
  );
}
