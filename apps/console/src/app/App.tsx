import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { isRetryable, setUnauthenticatedHandler } from '../lib/api';
import { sessionKeys } from '../features/session/api';
import { router } from './router';
import { cssVariablesResolver, theme } from './theme';

// The system's light or dark until the operator picks one with the header's toggle; kept per browser.
const colorSchemeManager = localStorageColorSchemeManager({ key: 'tessera-color-scheme' });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, err) => isRetryable(err) && count < 2,
    },
  },
});

// A 401 from any API call means the session ended: show the sign-in page.
setUnauthenticatedHandler(() => queryClient.setQueryData(sessionKeys.all, null));

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
