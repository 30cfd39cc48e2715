import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

export interface ShownSecret {
  clientId: string;
  clientSecret: string;
}

export function CopyField({ label, value, first }: { label: string; value: string; first?: boolean }) {
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <TextInput
        label={label}
        value={value}
        readOnly
        flex={1}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        onFocus={(e) => e.currentTarget.select()}
      />
      <CopyButton value={value} timeout={2500}>
        {({ copied, copy }) => (
          <Button
            aria-label={`Copy ${label}`}
            variant={copied ? 'filled' : 'light'}
            color={copied ? 'teal' : undefined}
            leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
            onClick={copy}
            w={110}
            // Focus starts on a harmless control: an Enter still held from the menu must not close the dialog.
            data-autofocus={first || undefined}
          >
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </CopyButton>
    </Group>
  );
}

/**
 * Shows a just-generated secret once. The values live only in the caller's state: closing the
 * dialog (Close, Escape) clears that state and unmounts these fields.
 */
export function ClientSecretDialog({ secret, onClose }: { secret: ShownSecret | null; onClose: () => void }) {
  return (
    <Modal
      opened={secret !== null}
      onClose={onClose}
      title="Client Secret"
      size="lg"
      centered
      // A stray click beside the dialog must not throw the secret away; Escape and Close still do.
      closeOnClickOutside={false}
      withCloseButton={false}
    >
      {secret && (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="Copy the ClientSecret now">
            The ClientSecret cannot be retrieved again after you close this dialog. If you lose it, you will have to generate a new one.
          </Alert>
          <CopyField label="ClientID" value={secret.clientId} first />
          <CopyField label="ClientSecret" value={secret.clientSecret} />
          <Text size="sm" c="dimmed">
            Use them as the client_id and client_secret of the client credentials grant (HTTP Basic authentication at the token endpoint).
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>Close</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
