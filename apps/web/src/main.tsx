import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiRequestError } from '@novacron/client';
import { AuthProvider } from './context/auth-context';
import { EventsProvider } from './context/events-context';
import { bootstrapSession } from './api/session';
import { prefetchPage, router } from './routes';

const theme = createTheme({ primaryColor: 'blue', defaultRadius: 'md' });

// Events keep data fresh, so no refetch on focus or interval; 4xx answers are final, so no retries for them.
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiRequestError && err.status < 500) && count < 2,
    },
  },
});

// Restore the session and fetch the page's code at once, rather than one after the other.
void bootstrapSession();
prefetchPage(window.location.pathname);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <AuthProvider>
          <EventsProvider>
            <RouterProvider router={router} />
          </EventsProvider>
        </AuthProvider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
