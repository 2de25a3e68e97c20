// The page table. Every page is loaded lazily so the first load carries only the shell.
import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { PublicLayout } from './components/PublicLayout';
import { RequireAuth } from './components/RequireAuth';
import { RouteError } from './components/RouteError';

const page = (load: () => Promise<{ default: React.ComponentType }>) => {
  const Component = lazy(load);
  return <Component />;
};

/** The router of the app. */
export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { path: '/login', element: page(() => import('./pages/auth/LoginPage')) },
          { path: '/setup', element: page(() => import('./pages/auth/SetupPage')) },
          { path: '/register', element: page(() => import('./pages/auth/RegisterPage')) },
          { path: '/forgot-password', element: page(() => import('./pages/auth/ForgotPasswordPage')) },
          { path: '/reset-password', element: page(() => import('./pages/auth/ResetPasswordPage')) },
          { path: '/verify-email', element: page(() => import('./pages/auth/VerifyEmailPage')) },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { path: '/', element: page(() => import('./pages/overview/OverviewPage')) },
              { path: '/operations', element: page(() => import('./pages/operations/OperationsPage')) },
              { path: '/admin/users', element: page(() => import('./pages/admin/UsersPage')) },
              { path: '/admin/roles', element: page(() => import('./pages/admin/RolesPage')) },
              { path: '/admin/tenants', element: page(() => import('./pages/admin/TenantsPage')) },
              { path: '/admin/audit', element: page(() => import('./pages/admin/AuditPage')) },
              { path: '/admin/settings', element: page(() => import('./pages/admin/SettingsPage')) },
              { path: '/account', element: page(() => import('./pages/account/AccountPage')) },
              { path: '/admin', element: <Navigate to="/admin/users" replace /> },
              { path: '*', element: page(() => import('./pages/NotFoundPage')) },
            ],
          },
        ],
      },
    ],
  },
]);
