import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { UserChange } from '@tessera/contracts';
import { errorMessage } from '../../../lib/api';
import { userChangesQuery } from '../api';
import { DateTime } from '../../../components/DateTime';

/** Three short columns fit a phone: no sideways scroll region with nothing in it to focus. */
const MIN_WIDTH = 300;

/** What happened to the user and who did it, newest first, from the audit trail. */
export function ActivityList({ userId }: { userId: string }) {
  return <ActivityCard query={useQuery(userChangesQuery(userId))} />;
}

/** Any resource's changes (a user's, a project's), newest first, as ZITADEL's List…Changes answer them. */
export function ActivityCard({ query }: { query: { data: UserChange[] | undefined; isPending: boolean; error: unknown } }) {
  const { data: changes, isPending, error } = query;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4" id="activity-title">
          Activity
        </Title>
        {isPending ? (
          <Text c="dimmed" size="sm">
            Loading the activity…
          </Text>
        ) : error ? (
          <Text c="red" size="sm" role="alert">
            {errorMessage(error)}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={MIN_WIDTH}>
            <Table aria-labelledby="activity-title" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>What</Table.Th>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(changes ?? []).map((c) => (
                  <Table.Tr key={c.sequence}>
                    <Table.Td>{c.eventType.localizedMessage}</Table.Td>
                    <Table.Td>
                      <DateTime iso={c.changeDate} />
                    </Table.Td>
                    <Table.Td>{c.editorDisplayName}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
