import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { useOrgPermissions } from '../../organization/permissions';
import { ConfirmDialog, type ConfirmRequest } from '../../service-users/components/ConfirmDialog';
import { CredentialCard } from '../../service-users/components/CredentialCard';
import { DeleteButton } from '../../service-users/components/CredentialParts';
import { notify } from '../../../lib/notify';
import { projectRolesQuery, useRemoveRole } from '../api';
import { NewRoleDialog } from './NewRoleDialog';

/** The project's roles, as ZITADEL's Roles card: Key, Display Name, Group; New Role, Delete. */
export function RolesCard({ projectId }: { projectId: string }) {
  const { can } = useOrgPermissions();
  const roles = useQuery({ ...projectRolesQuery(projectId), enabled: can('project.role.read') });
  const remove = useRemoveRole(projectId);
  const [adding, setAdding] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  if (!can('project.role.read')) return null;

  const askRemove = (key: string) =>
    setConfirm({
      title: `Delete role ${key}?`,
      message: `Service users holding ${key} lose it: their authorizations keep only their other roles, and new tokens no longer carry it. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        remove.mutate(key, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Role deleted', `The role ${key} was deleted.`);
          },
          onError: (err) => notify('red', 'The role was not deleted', errorMessage(err)),
        }),
    });

  return (
    <CredentialCard
      id="roles-title"
      title="Roles"
      description="What callers of the API may do. A token asked for with the scope urn:zitadel:iam:org:projects:roles carries the roles its service user was authorized for."
      newLabel="New Role"
      onNew={can('project.role.write') ? () => setAdding(true) : undefined}
      query={roles}
      loading="Loading the roles…"
      empty="No roles yet."
      headers={['Key', 'Display Name', 'Group']}
      cells={(r) => [
        <Text size="sm" ff="monospace">
          {r.key}
        </Text>,
        r.displayName || '—',
        r.group || '—',
        can('project.role.delete') && <DeleteButton label={`Delete role ${r.key}`} onClick={() => askRemove(r.key)} />,
      ]}
    >
      <NewRoleDialog projectId={projectId} opened={adding} onClose={() => setAdding(false)} />
      <ConfirmDialog request={confirm} busy={remove.isPending} onClose={() => setConfirm(null)} />
    </CredentialCard>
  );
}
