import { Alert, Button, Center, Code, Loader, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ApiRequestError, errorMessage, isRetryable } from '../lib/api';

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

/** What went wrong, the request id to quote when asking for help, and "Try again" only where asking again can help. */
export function PageError({ error, retry }: { error: unknown; retry?: () => void }) {
  const requestId = error instanceof ApiRequestError ? error.requestId : undefined;
  return (
    <Alert color="red" title="This page could not be loaded" role="alert" m="md">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        {requestId && (
          <Text size="sm">
            Request ID: <Code>{requestId}</Code>
          </Text>
        )}
        {retry && isRetryable(error) && (
          <Button size="xs" variant="light" onClick={retry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Nothing at this address, or nothing by this ID: a heading that says so and the way back. */
export function PageNotFound({ title, message, back }: { title: string; message: string; back: { to: string; label: string } }) {
  return (
    <Stack align="flex-start" p="md">
      <Title order={1}>{title}</Title>
      <Text>{message}</Text>
      <Button component={Link} to={back.to} variant="light">
        {back.label}
      </Button>
    </Stack>
  );
}
