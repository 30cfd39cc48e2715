import { Anchor, Badge, Table, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import type { MachineUserView } from '@tessera/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { DateTime } from '../../../components/DateTime';
import type { ListOrder, SortColumn } from '../list-params';
import { UserStateBadge } from './UserStateBadge';

interface Sorting {
  order: ListOrder;
  onSort: (column: SortColumn) => void;
}

/** A header that sorts by its column: a button, with the order on the th for screen readers. */
function SortableTh({ column, sorting, children }: { column: SortColumn; sorting: Sorting; children: ReactNode }) {
  const current = sorting.order.sort === column;
  const Icon = !current ? IconSelector : sorting.order.asc ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th aria-sort={current ? (sorting.order.asc ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => sorting.onSort(column)} fw={700} fz="sm" style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
        {children}
        <Icon size={14} aria-hidden style={{ opacity: current ? 1 : 0.5 }} />
      </UnstyledButton>
    </Table.Th>
  );
}

export function ServiceUsersTable({ users, busy, sorting }: { users: MachineUserView[]; busy: boolean; sorting: Sorting }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover aria-label="Service users" aria-busy={busy} style={{ opacity: busy ? 0.6 : 1 }}>
        <Table.Thead>
          <Table.Tr>
            <SortableTh column="userName" sorting={sorting}>
              User Name
            </SortableTh>
            <SortableTh column="displayName" sorting={sorting}>
              Display Name
            </SortableTh>
            <Table.Th>Description</Table.Th>
            <SortableTh column="state" sorting={sorting}>
              State
            </SortableTh>
            <Table.Th>Secret</Table.Th>
            <SortableTh column="created" sorting={sorting}>
              Created
            </SortableTh>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>
                <Anchor component={Link} to={`/service-users/${u.id}`} fw={500}>
                  {u.userName}
                </Anchor>
              </Table.Td>
              <Table.Td>{u.machine?.name}</Table.Td>
              <Table.Td c={u.machine?.description ? undefined : 'dimmed'} maw={280} style={{ overflowWrap: 'anywhere' }}>
                {u.machine?.description || '—'}
              </Table.Td>
              <Table.Td>
                <UserStateBadge state={u.state} />
              </Table.Td>
              <Table.Td>
                {u.machine?.hasSecret ? (
                  <Badge variant="light" color="blue">
                    Set
                  </Badge>
                ) : (
                  <Badge variant="outline" color="gray">
                    Not set
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <DateTime iso={u.details.creationDate} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
