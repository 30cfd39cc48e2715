import { ActionIcon, Badge, Button, Group, Menu, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { INSTANCE_OWNER_ROLE, type InstanceMemberView, type MachineUserView } from '@tessera/contracts';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useActingOrg } from '../../../app/acting-org';
import { PageError, PageLoading } from '../../../components/PageState';
import { errorMessage } from '../../../lib/api';
import { usePageTitle } from '../../../lib/use-page-title';
import { whoamiQuery } from '../../session/api';
import { ConfirmDialog, type ConfirmRequest } from '../../service-users/components/ConfirmDialog';
import { UserStateBadge } from '../../service-users/components/UserStateBadge';
import { notify } from '../../../lib/notify';
import { instanceMembersQuery, operatorsQuery, useOperatorAction, type OperatorAction } from '../api';
import { NewOperatorDialog } from './NewOperatorDialog';

/** What each action asks first, and says once done. */
const ACTIONS: Record<OperatorAction, { label: string; confirm: string; done: string; danger?: boolean; explain: (name: string) => string }> = {
  makeOwner: {
    label: 'Make Instance Owner',
    confirm: 'Make Instance Owner',
    done: 'is now an Instance Owner',
    explain: (n) => `${n} will have permission over every organization of the instance, and may manage operators.`,
  },
  removeOwner: {
    label: 'Remove Instance Owner',
    confirm: 'Remove',
    done: 'is no longer an Instance Owner',
    danger: true,
    explain: (n) => `${n} keeps their account and organization roles, but loses permission over the instance.`,
  },
  deactivate: {
    label: 'Deactivate',
    confirm: 'Deactivate',
    done: 'was deactivated',
    danger: true,
    explain: (n) => `${n} can no longer sign in until reactivated; their sessions end.`,
  },
  reactivate: { label: 'Reactivate', confirm: 'Reactivate', done: 'was reactivated', explain: (n) => `${n} can sign in again.` },
  delete: { label: 'Delete', confirm: 'Delete', done: 'was deleted', danger: true, explain: (n) => `${n} and their roles are deleted. This cannot be undone.` },
};

/** The people who sign in to this console: instance owners only (the server says so too). */
export function OperatorsPage() {
  usePageTitle('Operators');
  const { orgId } = useActingOrg();
  const { data: me } = useQuery(whoamiQuery);
  const operators = useQuery({ ...operatorsQuery(orgId), enabled: Boolean(me?.instanceOwner) });
  const members = useQuery({ ...instanceMembersQuery, enabled: Boolean(me?.instanceOwner) });
  const action = useOperatorAction();
  const [creating, setCreating] = useState(false);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  if (!me?.instanceOwner) {
    return <Text>Only an Instance Owner can manage operators.</Text>;
  }
  if (operators.isPending || members.isPending) return <PageLoading label="Loading operators" />;
  if (operators.error || members.error)
    return <PageError error={operators.error ?? members.error} retry={() => void Promise.all([operators.refetch(), members.refetch()])} />;

  const ask = (a: OperatorAction, user: MachineUserView, member: InstanceMemberView | undefined) => {
    const spec = ACTIONS[a];
    const name = user.human?.profile.displayName ?? user.userName;
    setConfirm({
      title: `${spec.label}: ${user.userName}`,
      message: spec.explain(name),
      confirmLabel: spec.confirm,
      danger: spec.danger,
      onConfirm: () =>
        action.mutate(
          { action: a, user, member },
          {
            onSuccess: () => notify('green', spec.label, `${user.userName} ${spec.done}.`),
            onError: (err) => notify('red', `${spec.label} failed`, errorMessage(err)),
            onSettled: () => setConfirm(null),
          },
        ),
    });
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Operators
        </Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          New operator
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        The people of this organization who sign in to the console. An Instance Owner has permission over every organization and manages operators; other roles
        are granted on the Organization page.
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label="Operators" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User Name</Table.Th>
              <Table.Th>Display Name</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Instance role</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {operators.data.map((u) => {
              const member = members.data.get(u.id);
              const owner = member?.roles.includes(INSTANCE_OWNER_ROLE) ?? false;
              const self = u.id === me.userId;
              return (
                <Table.Tr key={u.id}>
                  <Table.Td fw={500}>{u.userName}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      {u.human?.profile.displayName}
                      {u.human?.passwordChangeRequired && (
                        <Badge variant="outline" color="orange">
                          Initial password
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <UserStateBadge state={u.state} />
                  </Table.Td>
                  <Table.Td>{owner ? <Badge variant="light">Instance Owner</Badge> : <Text c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" aria-label={`Actions for ${u.userName}`}>
                          <IconDots size={18} aria-hidden />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item onClick={() => ask(owner ? 'removeOwner' : 'makeOwner', u, member)}>
                          {owner ? ACTIONS.removeOwner.label : ACTIONS.makeOwner.label}
                        </Menu.Item>
                        {/* Nobody deactivates or deletes themselves: the server refuses it, so it is not offered. */}
                        {!self && (
                          <>
                            <Menu.Item onClick={() => ask(u.state === 'USER_STATE_INACTIVE' ? 'reactivate' : 'deactivate', u, member)}>
                              {u.state === 'USER_STATE_INACTIVE' ? ACTIONS.reactivate.label : ACTIONS.deactivate.label}
                            </Menu.Item>
                            <Menu.Item color="red" onClick={() => ask('delete', u, member)}>
                              {ACTIONS.delete.label}
                            </Menu.Item>
                          </>
                        )}
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <NewOperatorDialog opened={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog request={confirm} busy={action.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}
