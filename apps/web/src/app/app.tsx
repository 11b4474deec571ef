import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { queryClient } from '../api/query-client';
import { OfflineBanner } from '../components/offline-banner';
import { router } from './router';
import { theme } from './theme';

/** Providers and the router: everything the screens rely on. */
export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={4} autoClose={4000} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        <OfflineBanner />
      </QueryClientProvider>
    </MantineProvider>
  );
}
