import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { errorMessage } from '../lib/api';

export function PageLoading({ label }: { label: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text c="dimmed">{label}…</Text>
      </Stack>
    </Center>
  );
}

export function PageError({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Alert color="red" title="This page could not be loaded" role="alert" m="md">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {retry && (
          <Button size="xs" variant="light" onClick={retry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
