import { Anchor, Badge, Table } from '@mantine/core';
import type { MachineUserView } from '@tessera/contracts';
import { Link } from 'react-router';
import { formatDate } from '../format';
import { UserStateBadge } from './UserStateBadge';

export function ServiceUsersTable({ users, busy }: { users: MachineUserView[]; busy: boolean }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover aria-label="Service users" aria-busy={busy} style={{ opacity: busy ? 0.6 : 1 }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>User Name</Table.Th>
            <Table.Th>Display Name</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Secret</Table.Th>
            <Table.Th>Created</Table.Th>
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
                <time dateTime={u.details.creationDate}>{formatDate(u.details.creationDate)}</time>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
