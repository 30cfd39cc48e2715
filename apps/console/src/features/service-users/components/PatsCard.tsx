import { Alert, Button, Group, Modal, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { patsQuery, useAddPat, useRemoveCredential } from '../credentials-api';
import { formatDate } from '../format';
import { notify } from '../notify';
import { CopyField } from './ClientSecretDialog';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { AddDialog, DeleteButton, Expires } from './CredentialParts';

interface ShownToken {
  tokenId: string;
  token: string;
}

/** A service user's personal access tokens, as ZITADEL's card: list, New (shown once), Delete. */
export function PatsCard({ userId }: { userId: string }) {
  const { data: pats, isPending, error } = useQuery(patsQuery(userId));
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
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4" id="pats-title">
              Personal Access Tokens
            </Title>
            <Text size="sm" c="dimmed">
              Personal access tokens function like ordinary OAuth access tokens: send one as a Bearer token to the management API.
            </Text>
          </div>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setAdding(true)} aria-label="New personal access token">
            New
          </Button>
        </Group>
        {isPending ? (
          <Text c="dimmed" size="sm">
            Loading the personal access tokens…
          </Text>
        ) : error ? (
          <Text c="red" size="sm" role="alert">
            {errorMessage(error)}
          </Text>
        ) : pats.length === 0 ? (
          <Text size="sm">No personal access tokens yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={400}>
            <Table aria-labelledby="pats-title" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>ID</Table.Th>
                  <Table.Th>Creation Date</Table.Th>
                  <Table.Th>Expiration date</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pats.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{p.id}</Table.Td>
                    <Table.Td>{formatDate(p.details.creationDate)}</Table.Td>
                    <Table.Td>
                      <Expires iso={p.expirationDate} />
                    </Table.Td>
                    <Table.Td>
                      <DeleteButton label={`Delete token ${p.id}`} onClick={() => askDelete(p.id)} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
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
    </Paper>
  );
}
