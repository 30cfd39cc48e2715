import { Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageError, PageLoading } from '../../../components/PageState';
import { myOrgQuery } from '../api';

export function OrganizationPage() {
  const { data: org, isPending, error, refetch } = useQuery(myOrgQuery);
  if (isPending) return <PageLoading label="Loading the organization" />;
  if (error) return <PageError error={error} retry={() => void refetch()} />;
  return (
    <Stack>
      <Title order={1}>{org.name}</Title>
      <Paper withBorder p="md">
        <Group gap="xl">
          <Text size="sm">
            ID <Code>{org.id}</Code>
          </Text>
          <Text size="sm">Primary domain {org.primaryDomain}</Text>
        </Group>
      </Paper>
    </Stack>
  );
}
