import { Alert, Box, Button, Stack, Text } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { usePageTitle } from '../lib/use-page-title';

/**
 * A page's code that did not arrive: its chunk was removed by a redeploy since this tab loaded the
 * console, or the connection dropped. Chromium, Firefox and Safari word the failed import() each
 * their own way.
 */
export function isChunkLoadError(error: unknown): boolean {
  return error instanceof Error && /dynamically imported module|Importing a module script failed|Unable to preload/i.test(error.message);
}

function describe(error: unknown): { title: string; message: string } {
  if (isChunkLoadError(error)) {
    return {
      title: 'This page could not be loaded',
      message: 'Tessera may have been updated since this tab opened it, or the connection dropped. Reload to get the current version.',
    };
  }
  if (isRouteErrorResponse(error)) return { title: 'This page could not be shown', message: `${error.status} ${error.statusText}` };
  return { title: 'Something went wrong', message: error instanceof Error ? error.message : 'The page stopped working.' };
}

/** The router's error element: what went wrong and a reload, never a blank page. `standalone` when no Layout is around it. */
export function RouteError({ standalone = false }: { standalone?: boolean }) {
  const { title, message } = describe(useRouteError());
  usePageTitle(title);
  return (
    <Box component={standalone ? 'main' : 'div'} p="md">
      <Alert color="red" title={title} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{message}</Text>
          <Button size="xs" variant="light" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </Stack>
      </Alert>
    </Box>
  );
}
