import { ActionIcon, Group, Text } from '@mantine/core';
import { IconKey, IconRefresh } from '@tabler/icons-react';
import type { AppView } from '@tessera/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { useOrgPermissions } from '../../organization/permissions';
import { ClientSecretDialog, type ShownSecret } from '../../service-users/components/ClientSecretDialog';
import { ConfirmDialog, type ConfirmRequest } from '../../service-users/components/ConfirmDialog';
import { CredentialCard } from '../../service-users/components/CredentialCard';
import { DeleteButton } from '../../service-users/components/CredentialParts';
import { KeyCreatedDialog } from '../../service-users/components/KeysCard';
import { notify } from '../../../lib/notify';
import { appsQuery, useAddApp, useAddAppKey, useRegenerateAppSecret, useRemoveApp, type NewAppKey } from '../api';
import { AUTH_METHOD_LABELS } from '../format';
import { IntrospectionUsage } from './IntrospectionUsage';
import { NewAppDialog } from './NewAppDialog';

const isBasic = (a: AppView) => a.apiConfig.authMethodType === 'API_AUTH_METHOD_TYPE_BASIC';

/** The project's API applications: what the API introspects tokens with. */
export function AppsCard({ projectId }: { projectId: string }) {
  const { can } = useOrgPermissions();
  const apps = useQuery({ ...appsQuery(projectId), enabled: can('project.app.read') });
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [key, setKey] = useState<NewAppKey | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const add = useAddApp(projectId, { onSecret: setSecret, onKey: setKey });
  const addKey = useAddAppKey(projectId, setKey);
  const regenerate = useRegenerateAppSecret(projectId, setSecret);
  const remove = useRemoveApp(projectId);
  if (!can('project.app.read')) return null;

  const askRegenerate = (a: AppView) =>
    setConfirm({
      title: `Regenerate the ClientSecret of ${a.name}?`,
      message: 'The current ClientSecret stops working at once: the API introspects with the new one from now on. It is shown once.',
      confirmLabel: 'Regenerate',
      danger: true,
      onConfirm: () =>
        regenerate.mutate(
          { appId: a.id, clientId: a.apiConfig.clientId },
          { onSuccess: () => setConfirm(null), onError: (err) => notify('red', 'No new ClientSecret', errorMessage(err)) },
        ),
    });
  const askRemove = (a: AppView) =>
    setConfirm({
      title: `Delete application ${a.name}?`,
      message: `Its ${isBasic(a) ? 'ClientSecret' : 'keys'} stop working at once: an API introspecting with ${a.apiConfig.clientId} is refused. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        remove.mutate(a.id, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Application deleted', `${a.name} was deleted.`);
          },
          onError: (err) => notify('red', 'The application was not deleted', errorMessage(err)),
        }),
    });
  const newKey = (a: AppView) => addKey.mutate(a.id, { onError: (err) => notify('red', 'The key was not added', errorMessage(err)) });

  const actions = (a: AppView) => (
    <Group gap={4} wrap="nowrap">
      {can('project.app.write') &&
        (isBasic(a) ? (
          <ActionIcon variant="subtle" aria-label={`Regenerate ClientSecret of ${a.name}`} title="Regenerate ClientSecret" onClick={() => askRegenerate(a)}>
            <IconRefresh size={18} aria-hidden />
          </ActionIcon>
        ) : (
          <ActionIcon variant="subtle" aria-label={`New key for ${a.name}`} title="New key" loading={addKey.isPending} onClick={() => newKey(a)}>
            <IconKey size={18} aria-hidden />
          </ActionIcon>
        ))}
      {can('project.app.delete') && <DeleteButton label={`Delete application ${a.name}`} onClick={() => askRemove(a)} />}
    </Group>
  );

  return (
    <CredentialCard
      id="apps-title"
      title="Applications"
      description="An API application is what your API introspects the tokens it is sent with, at /oauth/v2/introspect."
      newLabel="New Application"
      onNew={can('project.app.write') ? () => setAdding(true) : undefined}
      query={apps}
      loading="Loading the applications…"
      empty="No applications yet."
      headers={['Name', 'Type', 'Auth Method', 'Client ID']}
      minWidth={640}
      cells={(a) => [
        a.name,
        'API',
        AUTH_METHOD_LABELS[a.apiConfig.authMethodType],
        <Text size="sm" ff="monospace">
          {a.apiConfig.clientId}
        </Text>,
        actions(a),
      ]}
    >
      <NewAppDialog opened={adding} onClose={() => setAdding(false)} add={add} />
      <ClientSecretDialog secret={secret} onClose={() => setSecret(null)} usage={(s) => <IntrospectionUsage clientId={s.clientId} />} />
      <KeyCreatedDialog created={key} onClose={() => setKey(null)} />
      <ConfirmDialog request={confirm} busy={regenerate.isPending || remove.isPending} onClose={() => setConfirm(null)} />
    </CredentialCard>
  );
}
