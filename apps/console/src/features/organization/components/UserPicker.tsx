import { Badge, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { MachineUserView } from '@tessera/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useActingOrg } from '../../../app/acting-org';
import { userSearchQuery } from '../api';

export interface PickedUser {
  id: string;
  label: string;
}

const displayNameOf = (u: MachineUserView) => u.machine?.name ?? u.human?.profile.displayName ?? u.userName;
const labelOf = (u: MachineUserView) => `${displayNameOf(u)} (${u.userName})`;

/**
 * Searches the organization's users on the server (user name or display name, any case) as the
 * operator types, debounced; a Mantine Select, so arrow keys and Enter pick a user. The dialog
 * focuses it on opening, but its list opens only on typing, a click or an arrow key: a list opened
 * by itself would cover the roles below before anyone asked for it.
 */
export function UserPicker({
  value,
  onChange,
  memberIds,
}: {
  value: PickedUser | null;
  onChange: (u: PickedUser | null) => void;
  memberIds: ReadonlySet<string>;
}) {
  const { orgId } = useActingOrg();
  const [search, setSearch] = useState('');
  // Once a user is picked the input shows its label; that is not something to search for.
  const term = value && search === value.label ? '' : search.trim().slice(0, 200);
  const [debounced] = useDebouncedValue(term, 250);
  const users = useQuery(userSearchQuery(orgId, debounced));

  const byId = useMemo(() => new Map((users.data ?? []).map((u) => [u.id, u])), [users.data]);
  const options = (users.data ?? []).map((u) => ({ value: u.id, label: labelOf(u), disabled: memberIds.has(u.id) }));
  // The picked user stays an option while other results come and go, so its label stays shown.
  if (value && !byId.has(value.id)) options.unshift({ value: value.id, label: value.label, disabled: false });
  const searching = users.isFetching || term !== debounced;

  return (
    <Select
      label="User"
      placeholder="Search by user name or display name"
      required
      searchable
      openOnFocus={false}
      maxDropdownHeight={240}
      data-autofocus
      data={options}
      value={value?.id ?? null}
      onChange={(id, option) => onChange(id && option ? { id, label: option.label } : null)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={searching ? 'Searching…' : 'No users found'}
      rightSection={searching ? <Loader size="xs" aria-label="Searching users" /> : undefined}
      renderOption={({ option }) => {
        const u = byId.get(option.value);
        return (
          <Group justify="space-between" wrap="nowrap" w="100%">
            <Stack gap={0}>
              <Text size="sm">{u ? displayNameOf(u) : option.label}</Text>
              {u && (
                <Text size="xs" c="dimmed">
                  {u.userName} · {u.machine ? 'Service User' : 'Human'}
                </Text>
              )}
            </Stack>
            {memberIds.has(option.value) && (
              <Badge size="xs" variant="light" color="gray">
                Already a manager
              </Badge>
            )}
          </Group>
        );
      }}
    />
  );
}
