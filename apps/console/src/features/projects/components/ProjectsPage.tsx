import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { DateTime } from '../../../components/DateTime';
import { PageError, PageLoading } from '../../../components/PageState';
import { usePageTitle } from '../../../lib/use-page-title';
import { OrgNameModal } from '../../organization/components/OrgNameModal';
import { useOrgPermissions } from '../../organization/permissions';
import { notify } from '../../../lib/notify';
import { projectsQuery, useCreateProject } from '../api';
import { ProjectStateBadge } from './ProjectStateBadge';

/** The organization's projects: the APIs it secures with Tessera's tokens. */
export function ProjectsPage() {
  usePageTitle('Projects');
  const { can } = useOrgPermissions();
  const { data: projects, isPending, error, refetch } = useQuery(projectsQuery);
  const create = useCreateProject();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  const newButton = can('project.create') && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      New Project
    </Button>
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Projects
        </Title>
        {newButton}
      </Group>
      <Text size="sm" c="dimmed">
        A project stands for an API you build. Its roles are what callers may do there, its applications are what the API checks tokens with, and service users
        get its roles through authorizations.
      </Text>
      {isPending ? (
        <PageLoading label="Loading the projects" />
      ) : error ? (
        <PageError error={error} retry={() => void refetch()} />
      ) : projects.length === 0 ? (
        <Text>No projects yet.{can('project.create') ? ' Create one with New Project.' : ''}</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table highlightOnHover aria-label="Projects">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {projects.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${p.id}`} fw={500}>
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ProjectStateBadge state={p.state} />
                  </Table.Td>
                  <Table.Td>
                    <DateTime iso={p.details.creationDate} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <OrgNameModal
        opened={creating}
        onClose={() => setCreating(false)}
        title="New Project"
        submitLabel="Create"
        initialName=""
        pending={create.isPending}
        onSubmit={async (name) => {
          const { id } = await create.mutateAsync(name);
          setCreating(false);
          notify('green', 'Project created', `${name} was created.`);
          void navigate(`/projects/${id}`);
        }}
      />
    </Stack>
  );
}
