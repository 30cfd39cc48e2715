import { Box, Button, Center, Group, Pagination, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { PageError, PageLoading } from '../../../components/PageState';
import { usePageTitle } from '../../../lib/use-page-title';
import { serviceUsersQuery } from '../api';
import { isTypedSearch, useListParams, type StateFilter } from '../list-params';
import { ServiceUsersTable } from './ServiceUsersTable';

export const PAGE_SIZE = 20;

function PastTheEnd({ page, onFirstPage }: { page: number; onFirstPage: () => void }) {
  return (
    <Paper withBorder p="xl" role="status">
      <Stack align="center" gap="xs">
        <Text>There is no page {page} of this list.</Text>
        <Button variant="light" onClick={onFirstPage}>
          Go to page 1
        </Button>
      </Stack>
    </Paper>
  );
}

const STATE_OPTIONS = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
];

/** All, Active or Inactive: a group of radio buttons named by its visible label. */
function StateFilterControl({ value, onChange }: { value: StateFilter | null; onChange: (state: StateFilter | null) => void }) {
  const labelId = useId();
  return (
    <Box>
      <Text id={labelId} size="sm" fw={500} mb={4}>
        State
      </Text>
      <SegmentedControl
        aria-labelledby={labelId}
        data={STATE_OPTIONS}
        value={value ?? 'all'}
        onChange={(v) => onChange(v === 'all' ? null : (v as StateFilter))}
      />
    </Box>
  );
}

function EmptyState({ search, filtered }: { search: string; filtered: boolean }) {
  return (
    // A status, so a screen reader hears that a search found nothing.
    <Paper withBorder p="xl" role="status">
      <Center>
        <Stack align="center" gap="xs">
          {search ? (
            <Text>No service users match “{search}”.</Text>
          ) : filtered ? (
            <Text>No service users in this state.</Text>
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
  const { search, page, order, state, setSearch, setPage, sortBy, setState } = useListParams();
  const [field, setField] = useState(search);
  // One address, and one request, per pause in typing, not per keystroke.
  const writeSearch = useDebouncedCallback(setSearch, 300);
  // Back, a link or a reload brings a search of its own: the field shows it.
  const location = useLocation();
  const [shownKey, setShownKey] = useState(location.key);
  if (location.key !== shownKey) {
    setShownKey(location.key);
    if (!isTypedSearch(location.state)) setField(search);
  }
  const { data, isPending, isPlaceholderData, error, refetch } = useQuery(serviceUsersQuery({ search, page, pageSize: PAGE_SIZE, order, state }));
  const goNew = () => void navigate('/service-users/new');
  const total = data ? Number(data.details.totalResult) : 0;
  // A search by text is counted up to 10,000: past that the server says only "more than".
  const ofTotal = data?.details.totalResultCapped ? `more than ${total.toLocaleString()}` : total.toLocaleString();
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Service Users</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={goNew}>
          New
        </Button>
      </Group>
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder="User name or display name"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={field}
          onChange={(e) => {
            setField(e.currentTarget.value);
            writeSearch(e.currentTarget.value);
          }}
          w={420}
          maw="100%"
        />
        <StateFilterControl value={state} onChange={setState} />
      </Group>
      {isPending ? (
        <PageLoading label="Loading service users" />
      ) : error ? (
        <PageError error={error} retry={() => void refetch()} />
      ) : data.result.length === 0 && page === 1 ? (
        <EmptyState search={search} filtered={state !== null} />
      ) : data.result.length === 0 ? (
        <PastTheEnd page={page} onFirstPage={() => setPage(1)} />
      ) : (
        <>
          <ServiceUsersTable users={data.result} busy={isPlaceholderData} sorting={{ order, onSort: sortBy }} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              {total === 0 ? 'No service users' : `${(page - 1) * PAGE_SIZE + 1}–${Math.min(page * PAGE_SIZE, total)} of ${ofTotal}`}
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
