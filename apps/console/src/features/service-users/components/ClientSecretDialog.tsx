import { Alert, Button, Divider, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type ReactNode, type RefObject } from 'react';
import { CopyField } from '../../../components/CopyField';
import { UseSecretSection } from './UseSecretSection';

export interface ShownSecret {
  clientId: string;
  clientSecret: string;
}

interface Props {
  secret: ShownSecret | null;
  onClose: () => void;
  /** Where focus goes once the dialog has closed: the control that opened it. */
  returnFocusTo?: RefObject<HTMLElement | null>;
  /** How to use the pair, below it; by default a service user's token request. */
  usage?: (secret: ShownSecret, onSecretCopied: () => void) => ReactNode;
}

/**
 * Shows a just-generated secret once. The values live only in the caller's state: closing the
 * dialog clears that state and unmounts these fields.
 */
export function ClientSecretDialog({ secret, ...props }: Props) {
  // Mounted per secret, so every secret starts as not copied.
  return secret && <Shown secret={secret} {...props} />;
}

const tokenUsage = (secret: ShownSecret, onSecretCopied: () => void) => <UseSecretSection secret={secret} onSecretCopied={onSecretCopied} />;

function Shown({ secret, onClose, returnFocusTo, usage = tokenUsage }: Props & { secret: ShownSecret }) {
  // Whether the secret has left the dialog (its copy button, a copy from its field, or the .env).
  const [saved, setSaved] = useState(false);
  const [asking, setAsking] = useState(false);
  const markSaved = () => setSaved(true);
  const close = () => {
    onClose();
    window.setTimeout(() => returnFocusTo?.current?.focus());
  };
  // One key press must not throw away a secret nobody copied: Escape and Close ask first.
  const requestClose = () => (saved ? close() : setAsking(true));

  return (
    <Modal.Stack>
      <Modal
        stackId="client-secret"
        opened
        onClose={requestClose}
        title="Client Secret"
        size="lg"
        centered
        // A stray click beside the dialog must not throw the secret away.
        closeOnClickOutside={false}
        withCloseButton={false}
        returnFocus={false}
      >
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="Copy the ClientSecret now">
            The ClientSecret cannot be retrieved again after you close this dialog. If you lose it, you will have to generate a new one.
          </Alert>
          <CopyField label="ClientID" value={secret.clientId} first />
          <CopyField label="ClientSecret" value={secret.clientSecret} onCopied={markSaved} />
          <Divider />
          {usage(secret, markSaved)}
          <Group justify="flex-end">
            <Button onClick={requestClose}>Close</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal stackId="close-unsaved" opened={asking} onClose={() => setAsking(false)} title="Close without copying?" centered closeOnClickOutside={false}>
        <Stack>
          <Text size="sm">The secret is shown only once. If you close now, you will have to generate a new one to use this client.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)} data-autofocus>
              Go back
            </Button>
            <Button color="red" onClick={close}>
              Close anyway
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Modal.Stack>
  );
}
