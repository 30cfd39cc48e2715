import { Button, Code, Group, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import type { ProjectView } from '@tessera/contracts';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { DateTime } from '../../../components/DateTime';
import { Fact } from '../../../components/Fact';
import { errorMessage } from '../../../lib/api';
import { OrgNameModal } from '../../organization/components/OrgNameModal';
import { useOrgPermissions } from '../../organization/permissions';
import { ConfirmDialog, type ConfirmRequest } from '../../service-users/components/ConfirmDialog';
import { notify } from '../../../lib/notify';
import { useRemoveProject, useRenameProject } from '../api';
import { ProjectStateBadge } from './ProjectStateBadge';

/** The project's General card: its facts, Edit name, and Delete with what goes with it. */
export function ProjectGeneral({ project }: { project: ProjectView }) {
  const { can } = useOrgPermissions();
  const rename = useRenameProject(project.id);
  const remove = useRemoveProject(project.id);
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  const askRemove = () =>
    setConfirm({
      title: `Delete project ${project.name}?`,
      message: `Its roles, its applications (with their ClientSecrets and keys) and every authorization of its roles are deleted with it: APIs can no longer introspect with its applications, and new tokens carry none of its roles. This cannot be undone.`,
      confirmLabel: 'Delete',
      danger: true,
      onConfirm: () =>
        remove.mutate(undefined, {
          onSuccess: () => {
            setConfirm(null);
            notify('green', 'Project deleted', `${project.name} was deleted.`);
            void Promise.resolve(navigate('/projects')).then(remove.forgetProject);
          },
          onError: (err) => notify('red', 'The project was not deleted', errorMessage(err)),
        }),
    });

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Title order={2} size="h4">
            General
          </Title>
          <Group gap="xs">
            {can('project.write') && (
              <Button variant="default" size="xs" onClick={() => setRenaming(true)}>
                Edit name
              </Button>
            )}
            {can('project.delete') && (
              <Button variant="light" color="red" size="xs" onClick={askRemove}>
                Delete project
              </Button>
            )}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} component="dl" m={0}>
          <Fact label="Name">{project.name}</Fact>
          <Fact label="State">
            <ProjectStateBadge state={project.state} />
          </Fact>
          <Fact label="Resource ID">
            <Code>{project.id}</Code>
          </Fact>
          <Fact label="Created">
            <DateTime iso={project.details.creationDate} />
          </Fact>
        </SimpleGrid>
      </Stack>
      <OrgNameModal
        opened={renaming}
        onClose={() => setRenaming(false)}
        title="Edit name"
        submitLabel="Save"
        initialName={project.name}
        pending={rename.isPending}
        onSubmit={async (name) => {
          await rename.mutateAsync(name);
          setRenaming(false);
          notify('green', 'Project renamed', `The project is now named ${name}.`);
        }}
      />
      <ConfirmDialog request={confirm} busy={remove.isPending} onClose={() => setConfirm(null)} />
    </Paper>
  );
}
