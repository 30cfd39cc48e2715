import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { patsQuery, useAddPat, useRemoveCredential } from '../credentials-api';
import { DateTime } from '../../../components/DateTime';
import { notify } from '../../../lib/notify';
import { CopyField } from '../../../components/CopyField';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { CredentialCard } from './CredentialCard';
import { AddDialog, DeleteButton, Expires } from './CredentialParts';

interface ShownToken {
  tokenId: string;
  token: string;
}

/** A service user's personal access tokens, as ZITADEL's card: list, New (shown once), Delete. */
export function PatsCard({ userId }: { userId: string }) {
  const tokensQuery = useQuery(patsQuery(userId));
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ShownToken | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const add = useAddPat(userId, setShown);
  const remove = useRemoveCredential(userId, 'pats');

  const askDelete = (tokenId: string) =>
    setConfirm({
      title: 'Delete Token',
      message: 'You are about to delete the personal access token: calls made with it are refused from now on. Are you sure?',
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        remove.mutate(tokenId, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Token deleted', `Personal access token ${tokenId} was deleted.`);
          },
          onError: (err) => notify('red', 'The token was not deleted', errorMessage(err)),
        }),
    });

  return (
    <CredentialCard
      id="pats-title"
      title="Personal Access Tokens"
      description="Personal access tokens function like ordinary OAuth access tokens: send one as a Bearer token to the management API."
      newLabel="New personal access token"
      onNew={() => setAdding(true)}
      query={tokensQuery}
      loading="Loading the personal access tokens…"
      empty="No personal access tokens yet."
      headers={['ID', 'Creation Date', 'Expiration date']}
      cells={(p) => [
        p.id,
        <DateTime iso={p.details.creationDate} />,
        <Expires iso={p.expirationDate} />,
        <DeleteButton label={`Delete token ${p.id}`} onClick={() => askDelete(p.id)} />,
      ]}
    >
      <AddDialog
        opened={adding}
        title="Generate new Personal Access Token"
        description="Define a custom expiration for the token."
        busy={add.isPending}
        onClose={() => setAdding(false)}
        onAdd={(expirationDate) =>
          add.mutate(
            { expirationDate },
            { onSuccess: () => setAdding(false), onError: (err) => notify('red', 'The token was not generated', errorMessage(err)) },
          )
        }
      />
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Personal Access Token" size="lg" centered closeOnClickOutside={false}>
        {shown && (
          <Stack>
            <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="Copy the token now">
              Make sure to copy your personal access token. You won't be able to see it again!
            </Alert>
            <Text size="sm">ID: {shown.tokenId}</Text>
            <CopyField label="Token" value={shown.token} first />
            <Group justify="flex-end">
              <Button onClick={() => setShown(null)}>Close</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmDialog request={confirm} busy={remove.isPending} onClose={() => setConfirm(null)} />
    </CredentialCard>
  );
}
