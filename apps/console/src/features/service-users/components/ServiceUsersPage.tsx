import { Button, Center, Group, Pagination, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PageError, PageLoading } from '../../../components/PageState';
import { usePageTitle } from '../../../lib/use-page-title';
import { serviceUsersQuery } from '../api';
import { ServiceUsersTable } from './ServiceUsersTable';

export const PAGE_SIZE = 20;

function EmptyState({ search }: { search: string }) {
  return (
    // A status, so a screen reader hears that a search found nothing.
    <Paper withBorder p="xl" role="status">
      <Center>
        <Stack align="center" gap="xs">
          {search ? (
            <Text>No service users match “{search}”.</Text>
          ) : (
            <>
              <Text fw={500}>No service users yet</Text>
              <Text c="dimmed" size="sm">
                Service users let machines sign in with a client secret. Click New (top right) to create the first one.
              </Text>
            </>
          )}
        </Stack>
      </Center>
    </Paper>
  );
}

/** The guide's step 1: the list, searched and paged by the server so 100,000 users stay quick. */
export function ServiceUsersPage() {
  usePageTitle('Service Users');
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  // One request per pause in typing, not per keystroke.
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const { data, isPending, isPlaceholderData, error, refetch } = useQuery(serviceUsersQuery({ search: debounced, page, pageSize: PAGE_SIZE }));
  const goNew = () => void navigate('/service-users/new');
  const total = data ? Number(data.details.totalResult) : 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Service Users</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={goNew}>
          New
        </Button>
      </Group>
      <TextInput
        label="Search"
        placeholder="User name or display name"
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        maw={420}
      />
      {isPending ? (
        <PageLoading label="Loading service users" />
      ) : error ? (
        <PageError error={error} retry={() => void refetch()} />
      ) : data.result.length === 0 && page === 1 ? (
        <EmptyState search={debounced} />
      ) : (
        <>
          <ServiceUsersTable users={data.result} busy={isPlaceholderData} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {total === 0 ? 'No service users' : `${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, total)} of ${total.toLocaleString()}`}
            </Text>
            {pages > 1 && (
              <Pagination
                total={pages}
                value={page}
                onChange={setPage}
                getControlProps={(control) => ({ 'aria-label': `${control} page` })}
                getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
              />
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
