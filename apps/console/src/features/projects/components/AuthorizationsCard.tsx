import { ActionIcon, Anchor, Badge, Group, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import type { UserGrantView } from '@tessera/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../../lib/api';
import { useOrgPermissions } from '../../organization/permissions';
import { ConfirmDialog, type ConfirmRequest } from '../../service-users/components/ConfirmDialog';
import { CredentialCard } from '../../service-users/components/CredentialCard';
import { DeleteButton } from '../../service-users/components/CredentialParts';
import { notify } from '../../../lib/notify';
import { useRemoveGrant, userGrantsQuery } from '../grants-api';
import { GrantDialog, type GrantDialogMode } from './GrantDialog';

/** A service user's authorizations (user grants): the roles of each project it holds, as tokens will carry them. */
export function AuthorizationsCard({ userId }: { userId: string }) {
  const { can } = useOrgPermissions();
  const grants = useQuery({ ...userGrantsQuery(userId), enabled: can('user.grant.read') });
  const remove = useRemoveGrant(userId);
  const [mode, setMode] = useState<GrantDialogMode | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  if (!can('user.grant.read')) return null;
  // Picking a project and its roles reads them: without those permissions the dialog could offer nothing.
  const canWrite = can('user.grant.write') && can('project.read') && can('project.role.read');

  const askRemove = (g: UserGrantView) =>
    setConfirm({
      title: `Delete the authorization for ${g.projectName}?`,
      message: `The service user loses ${g.roleKeys.length ? g.roleKeys.join(', ') : 'its access'} in ${g.projectName}: new tokens no longer carry these roles. Tokens already issued keep theirs until they expire.`,
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        remove.mutate(g.id, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Authorization deleted', `The authorization for ${g.projectName} was deleted.`);
          },
          onError: (err) => notify('red', 'The authorization was not deleted', errorMessage(err)),
        }),
    });

  return (
    <CredentialCard
      id="authorizations-title"
      title="Authorizations"
      description="The roles of your projects this service user holds. A token asked for with a project's audience carries them."
      newLabel="New Authorization"
      onNew={canWrite ? () => setMode({ kind: 'new' }) : undefined}
      query={grants}
      loading="Loading the authorizations…"
      empty="No authorizations yet."
      headers={['Project', 'Roles']}
      cells={(g) => [
        can('project.read') ? (
          <Anchor component={Link} to={`/projects/${g.projectId}`}>
            {g.projectName}
          </Anchor>
        ) : (
          g.projectName
        ),
        g.roleKeys.length ? (
          <Group gap={4}>
            {g.roleKeys.map((k) => (
              <Badge key={k} variant="light" tt="none">
                {k}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            No roles
          </Text>
        ),
        <Group gap={4} wrap="nowrap">
          {canWrite && (
            <ActionIcon variant="subtle" aria-label={`Edit roles of ${g.projectName}`} title="Edit roles" onClick={() => setMode({ kind: 'edit', grant: g })}>
              <IconPencil size={18} aria-hidden />
            </ActionIcon>
          )}
          {can('user.grant.delete') && <DeleteButton label={`Delete authorization for ${g.projectName}`} onClick={() => askRemove(g)} />}
        </Group>,
      ]}
    >
      <GrantDialog userId={userId} grants={grants.data ?? []} mode={mode} onClose={() => setMode(null)} />
      <ConfirmDialog request={confirm} busy={remove.isPending} onClose={() => setConfirm(null)} />
    </CredentialCard>
  );
}
