import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import type { UserGrantView } from '@tessera/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { notify } from '../../../lib/notify';
import { projectRolesQuery, projectsQuery } from '../api';
import { useAddGrant, useUpdateGrant } from '../grants-api';
import { grantableProjects, keptRoleKeys } from '../grant-roles';
import { GrantRolePicker } from './GrantRolePicker';

/** What the dialog is open for: a new authorization, or the roles of one the user has. */
export type GrantDialogMode = { kind: 'new' } | { kind: 'edit'; grant: UserGrantView };

/** ZITADEL's New Authorization (a project, then its roles), and the same picker to edit a grant's roles. */
export function GrantDialog({ userId, grants, mode, onClose }: { userId: string; grants: UserGrantView[]; mode: GrantDialogMode | null; onClose: () => void }) {
  return (
    <Modal opened={mode !== null} onClose={onClose} title={mode?.kind === 'edit' ? `Edit roles: ${mode.grant.projectName}` : 'New Authorization'} centered>
      {/* Mounted per opening, so every opening starts from the grant as it is. */}
      {mode && <GrantForm userId={userId} grants={grants} mode={mode} onClose={onClose} />}
    </Modal>
  );
}

function GrantForm({ userId, grants, mode, onClose }: { userId: string; grants: UserGrantView[]; mode: GrantDialogMode; onClose: () => void }) {
  const editing = mode.kind === 'edit' ? mode.grant : undefined;
  const [projectId, setProjectId] = useState<string | null>(editing?.projectId ?? null);
  const [ticked, setTicked] = useState<string[]>(editing?.roleKeys ?? []);
  const projects = useQuery({ ...projectsQuery, enabled: !editing });
  const roles = useQuery({ ...projectRolesQuery(projectId ?? ''), enabled: projectId !== null });
  const add = useAddGrant(userId);
  const update = useUpdateGrant(userId);
  const mutation = editing ? update : add;
  const roleKeys = keptRoleKeys(ticked, roles.data ?? []);
  const unchanged = editing !== undefined && roleKeys.join('\n') === keptRoleKeys(editing.roleKeys, roles.data ?? []).join('\n');
  const options = grantableProjects(projects.data ?? [], grants).map((p) => ({ value: p.id, label: p.name }));

  const done = (title: string, message: string) => () => {
    notify('green', title, message);
    onClose();
  };
  const submit = () => {
    if (!projectId || !roles.data) return;
    if (editing)
      update.mutate({ grantId: editing.id, roleKeys }, { onSuccess: done('Authorization changed', `The roles of ${editing.projectName} were saved.`) });
    else {
      const name = options.find((o) => o.value === projectId)?.label ?? projectId;
      add.mutate(
        { projectId, roleKeys },
        { onSuccess: done('Authorization added', `The service user now holds ${roleKeys.join(', ') || 'no roles'} in ${name}.`) },
      );
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack>
        {mutation.error && (
          <Alert color="red" role="alert">
            {errorMessage(mutation.error)}
          </Alert>
        )}
        {!editing && (
          <Select
            label="Project"
            placeholder={projects.isPending ? 'Loading the projects…' : 'Choose a project'}
            data={options}
            value={projectId}
            onChange={(v) => {
              setProjectId(v);
              setTicked([]);
            }}
            searchable
            nothingFoundMessage="No project left to authorize"
            error={projects.error ? errorMessage(projects.error) : undefined}
            data-autofocus
          />
        )}
        {!editing && projects.data && options.length === 0 && <Text size="sm">The service user is already authorized for every project.</Text>}
        {projectId &&
          (roles.isPending ? (
            <Text size="sm" c="dimmed">
              Loading the roles…
            </Text>
          ) : roles.error ? (
            <Text size="sm" c="red" role="alert">
              {errorMessage(roles.error)}
            </Text>
          ) : (
            <GrantRolePicker roles={roles.data} value={ticked} onChange={setTicked} disabled={mutation.isPending} />
          ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={!projectId || !roles.data || unchanged}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
