import { Anchor, Breadcrumbs, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { PageError, PageLoading, PageNotFound } from '../../../components/PageState';
import { isNotFound } from '../../../lib/api';
import { usePageTitle } from '../../../lib/use-page-title';
import { ActivityCard } from '../../service-users/components/ActivityList';
import { projectChangesQuery, projectQuery } from '../api';
import { AppsCard } from './AppsCard';
import { ProjectGeneral } from './ProjectGeneral';
import { RolesCard } from './RolesCard';

function ProjectActivity({ projectId }: { projectId: string }) {
  return <ActivityCard query={useQuery(projectChangesQuery(projectId))} />;
}

export function ProjectDetailPage() {
  const { projectId = '' } = useParams();
  const { data: project, isPending, error, refetch } = useQuery(projectQuery(projectId));
  const missing = isNotFound(error);
  usePageTitle(missing ? 'Project not found' : project?.name, 'Projects');
  if (isPending) return <PageLoading label="Loading the project" />;
  if (missing) {
    return (
      <PageNotFound
        title="Project not found"
        message="No project has this ID in the acting organization. It may have been deleted, or belong to another organization."
        back={{ to: '/projects', label: 'Back to Projects' }}
      />
    );
  }
  if (error) return <PageError error={error} retry={() => void refetch()} />;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/projects">
          Projects
        </Anchor>
        <Text>{project.name}</Text>
      </Breadcrumbs>
      <Title order={1}>{project.name}</Title>
      <ProjectGeneral project={project} />
      <RolesCard projectId={project.id} />
      <AppsCard projectId={project.id} />
      <ProjectActivity projectId={project.id} />
    </Stack>
  );
}
