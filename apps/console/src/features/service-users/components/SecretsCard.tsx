import { ActionIcon, Badge, Text } from '@mantine/core';
import { IconKeyOff } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { MAX_CLIENT_SECRETS, type MachineSecretView } from '@tessera/contracts';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { isNeverExpiring, isValidSecret, secretsQuery, useRemoveCredential } from '../credentials-api';
import { DateTime } from '../../../components/DateTime';
import { formatDate, formatRelative } from '../../../lib/format-date';
import { notify } from '../../../lib/notify';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { CredentialCard } from './CredentialCard';

/** How a secret is named where its value is never shown: its last characters, or its id for one made before hints. */
export const secretName = (s: MachineSecretView) => (s.hint ? `…${s.hint}` : `secret ${s.id}`);

function State({ secret }: { secret: MachineSecretView }) {
  switch (secret.state) {
    case 'SECRET_STATE_ACTIVE':
      return (
        <Badge color="green" variant="light">
          Active
        </Badge>
      );
    case 'SECRET_STATE_EXPIRING':
      return (
        <Badge color="yellow" variant="light">
          Expires{' '}
          <time dateTime={secret.expirationDate} title={formatDate(secret.expirationDate)}>
            {formatRelative(secret.expirationDate)}
          </time>
        </Badge>
      );
    case 'SECRET_STATE_EXPIRED':
      return (
        <Badge color="red" variant="light">
          Expired
        </Badge>
      );
    case 'SECRET_STATE_REVOKED':
      return (
        <Badge color="gray" variant="light">
          Revoked
        </Badge>
      );
  }
}

function LastUsed({ secret }: { secret: MachineSecretView }) {
  if (!secret.lastUsed) return <Text size="sm">Never</Text>;
  return (
    <Text size="sm">
      <DateTime iso={secret.lastUsed.date} /> from {secret.lastUsed.address}
    </Text>
  );
}

/** What revoking would cut off, in the words an operator decides by. */
function usageWarning(s: MachineSecretView): string {
  const uses = Number(s.usesLast24h);
  if (uses > 0 && s.lastUsed) {
    return `It was used ${uses} ${uses === 1 ? 'time' : 'times'} in the last 24 hours, last ${formatRelative(s.lastUsed.date)} from ${s.lastUsed.address}: jobs may still depend on it.`;
  }
  if (s.lastUsed) return `It was last used ${formatRelative(s.lastUsed.date)} (${formatDate(s.lastUsed.date)}), not in the last 24 hours.`;
  return 'It has never been used.';
}

/**
 * A service user's client secrets, never their values: when each was made, until when it works,
 * when and from where it was last used and how often in the last 24 hours, and Revoke for each.
 */
export function SecretsCard({ userId, userName }: { userId: string; userName: string }) {
  const query = useQuery(secretsQuery(userId));
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const revoke = useRemoveCredential(userId, 'secrets');

  const askRevoke = (s: MachineSecretView) =>
    setConfirm({
      title: `Revoke client secret ${secretName(s)}?`,
      message: `${usageWarning(s)} Requests with it are refused from now on; ${userName}'s other secrets keep working. This cannot be undone.`,
      confirmLabel: 'Revoke',
      danger: true,
      onConfirm: () =>
        revoke.mutate(s.id, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Client secret revoked', `Client secret ${secretName(s)} of ${userName} was revoked.`);
          },
          onError: (err) => notify('red', 'The client secret was not revoked', errorMessage(err)),
        }),
    });

  return (
    <CredentialCard
      id="secrets-title"
      title="Client Secrets"
      description={`The secrets its jobs send as client_secret. Generate a new one under Actions, keeping the current one valid for a while so jobs can move over; at most ${MAX_CLIENT_SECRETS} are valid at once. Expired and revoked secrets stay listed until the next rotation.`}
      query={query}
      loading="Loading the client secrets…"
      empty="No client secret yet: generate one under Actions."
      headers={['Secret', 'Created', 'Expires', 'Last used', 'Uses (24 h)', 'State']}
      minWidth={720}
      cells={(s) => [
        <Text size="sm" ff="monospace">
          {secretName(s)}
        </Text>,
        <DateTime iso={s.creationDate} />,
        isNeverExpiring(s.expirationDate) ? 'Never' : <DateTime iso={s.expirationDate} />,
        <LastUsed secret={s} />,
        s.usesLast24h,
        <State secret={s} />,
        isValidSecret(s) && (
          <ActionIcon variant="subtle" color="red" aria-label={`Revoke client secret ${secretName(s)}`} title="Revoke" onClick={() => askRevoke(s)}>
            <IconKeyOff size={18} aria-hidden />
          </ActionIcon>
        ),
      ]}
    >
      <ConfirmDialog request={confirm} busy={revoke.isPending} onClose={() => setConfirm(null)} />
    </CredentialCard>
  );
}
