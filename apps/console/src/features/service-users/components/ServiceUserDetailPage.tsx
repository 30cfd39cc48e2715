import { Anchor, Breadcrumbs, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { MachineUserView } from '@tessera/contracts';
import { Link, useParams } from 'react-router';
import { Fact } from '../../../components/Fact';
import { PageError, PageLoading, PageNotFound } from '../../../components/PageState';
import { isNotFound } from '../../../lib/api';
import { usePageTitle } from '../../../lib/use-page-title';
import { AuthorizationsCard } from '../../projects/components/AuthorizationsCard';
import { serviceUserQuery } from '../api';
import { formatDate } from '../../../lib/format-date';
import { TOKEN_TYPE_LABELS } from '../format';
import { ActivityList } from './ActivityList';
import { EditServiceUserForm } from './EditServiceUserForm';
import { KeysCard } from './KeysCard';
import { PatsCard } from './PatsCard';
import { SecretsCard } from './SecretsCard';
import { UserActionsMenu } from './UserActionsMenu';
import { UserStateBadge } from './UserStateBadge';

function Facts({ user }: { user: MachineUserView }) {
  const m = user.machine!;
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} component="dl" m={0}>
        <Fact label="User Name">{user.userName}</Fact>
        <Fact label="Display Name">{m.name}</Fact>
        <Fact label="Description">{m.description || '—'}</Fact>
        <Fact label="State">
          <UserStateBadge state={user.state} />
        </Fact>
        <Fact label="Access Token Type">{TOKEN_TYPE_LABELS[m.accessTokenType]}</Fact>
        <Fact label="Client Secret">{m.hasSecret ? `Set since ${formatDate(m.secretChangeDate)}` : 'Not set'}</Fact>
        <Fact label="Login Name">{user.preferredLoginName}</Fact>
        <Fact label="ID">
          <Code>{user.id}</Code>
        </Fact>
        <Fact label="Created">{formatDate(user.details.creationDate)}</Fact>
      </SimpleGrid>
    </Paper>
  );
}

export function ServiceUserDetailPage() {
  const { userId = '' } = useParams();
  const { data: user, isPending, error, refetch } = useQuery(serviceUserQuery(userId));
  const missing = isNotFound(error);
  usePageTitle(missing ? 'Service user not found' : user?.userName, 'Service Users');
  if (isPending) return <PageLoading label="Loading the service user" />;
  if (missing) {
    return (
      <PageNotFound
        title="Service user not found"
        message="No service user has this ID in the acting organization. It may have been deleted, or belong to another organization."
        back={{ to: '/service-users', label: 'Back to Service Users' }}
      />
    );
  }
  if (error) return <PageError error={error} retry={() => void refetch()} />;
  if (!user.machine) {
    return <PageError error={new Error(`${user.userName} is a human user; only service users are managed here.`)} />;
  }
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/service-users">
          Service Users
        </Anchor>
        <Text>{user.userName}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{user.machine.name}</Title>
          <Text c="dimmed">{user.userName}</Text>
        </div>
        <UserActionsMenu user={user} />
      </Group>
      <Facts user={user} />
      <EditServiceUserForm user={user} />
      <SecretsCard userId={user.id} userName={user.userName} />
      <KeysCard userId={user.id} />
      <PatsCard userId={user.id} />
      <AuthorizationsCard userId={user.id} />
      <ActivityList userId={user.id} />
    </Stack>
  );
}
