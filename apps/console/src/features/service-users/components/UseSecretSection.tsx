import { Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { CopyField, CopyValueButton } from '../../../components/CopyField';
import { curlCommand, envFile, tokenUrl } from '../client-credentials';
import type { ShownSecret } from './ClientSecretDialog';

/**
 * What to do with a new secret: where to send it and the guide's request, ready to paste. The
 * command names the secret as $CLIENT_SECRET; only the .env copy carries the secret itself.
 */
export function UseSecretSection({ secret, onSecretCopied }: { secret: ShownSecret; onSecretCopied: () => void }) {
  const origin = window.location.origin;
  const curl = curlCommand(secret.clientId, origin);
  return (
    <Stack gap="sm" component="section" aria-labelledby="use-secret-title">
      <Title order={3} size="h5" id="use-secret-title">
        Use it
      </Title>
      <Text size="sm" c="dimmed">
        Send them as the client_id and client_secret of the client credentials grant (HTTP Basic authentication at the token endpoint).
      </Text>
      <CopyField label="Token endpoint" value={tokenUrl(origin)} />
      <Textarea
        label="Token request"
        description="With the secret in $CLIENT_SECRET."
        value={curl}
        readOnly
        rows={6}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
      />
      <Group justify="flex-end" gap="xs">
        <CopyValueButton value={curl} label="Copy curl command" text="Copy curl command" />
        <CopyValueButton value={envFile(secret.clientId, secret.clientSecret, origin)} label="Copy as .env" text="Copy as .env" onCopied={onSecretCopied} />
      </Group>
    </Stack>
  );
}
