// The page table. Every page is loaded lazily so the first load carries only the shell.
import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { PublicLayout } from './components/PublicLayout';
import { RequireAuth } from './components/RequireAuth';
import { RouteError } from './components/RouteError';

type PageModule = Promise<{ default: React.ComponentType }>;
const loaders = new Map<string, () => PageModule>();
const page = (load: () => PageModule, path?: string) => {
  if (path) loaders.set(path, load);
  const Component = lazy(load);
  return <Component />;
};

/** Starts loading the code of the page at `pathname` (at start-up, in parallel with restoring the session). */
export function prefetchPage(pathname: string): void {
  void loaders.get(pathname)?.().catch(() => undefined);
}

/** The router of the app. */
export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { path: '/login', element: page(() => import('./pages/auth/LoginPage'), '/login') },
          { path: '/setup', element: page(() => import('./pages/auth/SetupPage'), '/setup') },
          { path: '/register', element: page(() => import('./pages/auth/RegisterPage'), '/register') },
          { path: '/forgot-password', element: page(() => import('./pages/auth/ForgotPasswordPage'), '/forgot-password') },
          { path: '/reset-password', element: page(() => import('./pages/auth/ResetPasswordPage'), '/reset-password') },
          { path: '/verify-email', element: page(() => import('./pages/auth/VerifyEmailPage'), '/verify-email') },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { path: '/', element: page(() => import('./pages/overview/OverviewPage'), '/') },
              { path: '/vms', element: page(() => import('./pages/vms/VmsPage'), '/vms') },
              { path: '/vms/new', element: page(() => import('./pages/vms/VmCreatePage'), '/vms/new') },
              { path: '/vms/:id', element: page(() => import('./pages/vms/VmDetailPage')) },
              { path: '/nodes', element: page(() => import('./pages/infra/NodesPage'), '/nodes') },
              { path: '/images', element: page(() => import('./pages/infra/ImagesPage'), '/images') },
              { path: '/storage', element: page(() => import('./pages/infra/StoragePage'), '/storage') },
              { path: '/operations', element: page(() => import('./pages/operations/OperationsPage'), '/operations') },
              { path: '/admin/users', element: page(() => import('./pages/admin/UsersPage'), '/admin/users') },
              { path: '/admin/groups', element: page(() => import('./pages/admin/GroupsPage'), '/admin/groups') },
              { path: '/admin/roles', element: page(() => import('./pages/admin/RolesPage'), '/admin/roles') },
              { path: '/admin/tenants', element: page(() => import('./pages/admin/TenantsPage'), '/admin/tenants') },
              { path: '/admin/audit', element: page(() => import('./pages/admin/AuditPage'), '/admin/audit') },
              { path: '/admin/settings', element: page(() => import('./pages/admin/SettingsPage'), '/admin/settings') },
              { path: '/account', element: page(() => import('./pages/account/AccountPage'), '/account') },
              { path: '/admin', element: <Navigate to="/admin/users" replace /> },
              { path: '*', element: page(() => import('./pages/NotFoundPage'), '*') },
            ],
          },
        ],
      },
    ],
  },
]);
