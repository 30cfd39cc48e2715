import { Alert, Button, FileInput, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { machineKeysQuery, useAddMachineKey, useRemoveCredential, type NewKey } from '../credentials-api';
import { DateTime } from '../../../components/DateTime';
import { notify } from '../../../lib/notify';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { CredentialCard } from './CredentialCard';
import { AddDialog, DeleteButton, Expires } from './CredentialParts';

/** Offers the key file to save, named as ZITADEL names it: the key's id. */
function download(key: NewKey) {
  const url = URL.createObjectURL(new Blob([key.file!], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${key.keyId}.json`;
  a.click();
  URL.revokeObjectURL(url);
}

/** A service user's keys (the JWT profile), as ZITADEL's Keys card: list, New, Delete. */
export function KeysCard({ userId }: { userId: string }) {
  const keysQuery = useQuery(machineKeysQuery(userId));
  const [adding, setAdding] = useState(false);
  const [publicKey, setPublicKey] = useState<File | null>(null);
  const [created, setCreated] = useState<NewKey | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const add = useAddMachineKey(userId, setCreated);
  const remove = useRemoveCredential(userId, 'keys');

  const onAdd = async (expirationDate: string | undefined) => {
    const pem = publicKey ? btoa(await publicKey.text()) : undefined;
    add.mutate(
      { type: 'KEY_TYPE_JSON', expirationDate, publicKey: pem },
      {
        onSuccess: () => {
          setAdding(false);
          setPublicKey(null);
        },
        onError: (err) => notify('red', 'The key was not added', errorMessage(err)),
      },
    );
  };
  const askDelete = (keyId: string) =>
    setConfirm({
      title: 'Delete Key',
      message: 'Do you want to delete the selected key? Assertions signed with it are refused from now on. This cannot be undone.',
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        remove.mutate(keyId, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Key deleted', `Key ${keyId} was deleted.`);
          },
          onError: (err) => notify('red', 'The key was not deleted', errorMessage(err)),
        }),
    });

  return (
    <CredentialCard
      id="keys-title"
      title="Keys"
      description="Define your keys and add an optional expiration date. A key signs the JWTs the service user trades for tokens (the JWT profile)."
      newLabel="New key"
      onNew={() => setAdding(true)}
      query={keysQuery}
      loading="Loading the keys…"
      empty="No keys yet."
      headers={['Key ID', 'Type', 'Creation Date', 'Expiration date']}
      minWidth={480}
      cells={(k) => [
        k.id,
        'JSON',
        <DateTime iso={k.details.creationDate} />,
        <Expires iso={k.expirationDate} />,
        <DeleteButton label={`Delete key ${k.id}`} onClick={() => askDelete(k.id)} />,
      ]}
    >
      <AddDialog
        opened={adding}
        title="Add Key"
        description="Select your key type and choose an optional expiration date. Tessera makes an RSA key and gives you its key file once; or upload the public half of a key you keep yourself."
        busy={add.isPending}
        onClose={() => {
          setAdding(false);
          setPublicKey(null);
        }}
        onAdd={(expirationDate) => void onAdd(expirationDate)}
      >
        <Text size="sm">
          Type: <strong>JSON</strong>
        </Text>
        <FileInput
          label="Public key"
          description="Optional: a PEM public key (RSA of 2048 bits or more, or EC P-256). Without one, Tessera makes the key."
          placeholder="No file: make a key"
          accept=".pem,.pub,application/x-pem-file"
          clearable
          value={publicKey}
          onChange={setPublicKey}
        />
      </AddDialog>
      <KeyCreatedDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog request={confirm} busy={remove.isPending} onClose={() => setConfirm(null)} />
    </CredentialCard>
  );
}

/** The key file, once: held only in the card's state until this dialog closes. */
export function KeyCreatedDialog({ created, onClose }: { created: NewKey | null; onClose: () => void }) {
  return (
    <Modal opened={created !== null} onClose={onClose} title="The key was created" centered closeOnClickOutside={false}>
      {created && (
        <Stack>
          <Text size="sm">Key ID: {created.keyId}</Text>
          {created.file ? (
            <>
              <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="Download the key now">
                Download the key as it won't be visible after closing this dialog! Tessera keeps only its public half.
              </Alert>
              <Group justify="flex-end">
                <Button variant="light" leftSection={<IconDownload size={16} aria-hidden />} onClick={() => download(created)} data-autofocus>
                  Download
                </Button>
                <Button onClick={onClose}>Close</Button>
              </Group>
            </>
          ) : (
            <>
              <Text size="sm">The uploaded public key was added; sign with its private half, naming this key id as kid.</Text>
              <Group justify="flex-end">
                <Button onClick={onClose}>Close</Button>
              </Group>
            </>
          )}
        </Stack>
      )}
    </Modal>
  );
}
