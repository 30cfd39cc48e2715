import { Stack, Text, Title } from '@mantine/core';
import { CopyField } from '../../../components/CopyField';

/** Where an API application's ClientID and ClientSecret go: HTTP Basic at the introspection endpoint. */
export function IntrospectionUsage({ clientId }: { clientId: string }) {
  return (
    <Stack gap="sm" component="section" aria-labelledby="use-app-secret-title">
      <Title order={3} size="h5" id="use-app-secret-title">
        Use it
      </Title>
      <Text size="sm" c="dimmed">
        Your API sends {clientId} and the ClientSecret as HTTP Basic credentials when it introspects a token it was sent (RFC 7662).
      </Text>
      <CopyField label="Introspection endpoint" value={`${window.location.origin}/oauth/v2/introspect`} />
    </Stack>
  );
}
