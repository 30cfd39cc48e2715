import { ActionIcon, Badge, Group, Paper, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { OrgMemberView } from '@tessera/contracts';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useActingOrg } from '../../../app/acting-org';
import { PageError, PageLoading } from '../../../components/PageState';
import { instanceMembersQuery, membersQuery } from '../api';
import { useOrgPermissions } from '../permissions';
import { roleDescription, roleName } from '../roles';
import { AddManagerModal } from './AddManagerModal';
import { EditRolesModal } from './EditRolesModal';
import { InstanceRoleBadges } from './InstanceCard';
import { RemoveManagerModal } from './RemoveManagerModal';
import { MemberName } from './MemberName';

/** Who holds manager roles in the acting organization, with the "+" to add one. */
export function ManagersCard({ orgName }: { orgName: string }) {
  const { orgId } = useActingOrg();
  const perms = useOrgPermissions();
  const members = useQuery(membersQuery(orgId));
  const [adding, addModal] = useDisclosure(false);
  const [editing, editModal] = useDisclosure(false);
  const [removing, removeModal] = useDisclosure(false);
  const [target, setTarget] = useState<OrgMemberView | null>(null);
  const instance = useQuery(instanceMembersQuery);
  const instanceRoles = useMemo(() => new Map(instance.data?.map((m) => [m.userId, m.roles])), [instance.data]);
  const memberIds = useMemo(() => new Set(members.data?.result.map((m) => m.userId)), [members.data]);
  const canWrite = perms.can('org.member.write');
  const canDelete = perms.can('org.member.delete');

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="managers-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="managers-title">
          Managers
        </Title>
        {canWrite && (
          <Tooltip label="Add Manager">
            <ActionIcon variant="filled" aria-label="Add Manager" onClick={addModal.open}>
              <IconPlus size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      {members.isPending && <PageLoading label="Loading the managers" />}
      {members.error && <PageError error={members.error} retry={() => void members.refetch()} />}
      {members.data && (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-labelledby="managers-title" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.data.result.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text c="dimmed" size="sm">
                      This organization has no managers yet.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {members.data.result.map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>
                    <MemberName member={m} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color={m.userType === 'TYPE_MACHINE' ? 'grape' : 'blue'}>
                      {m.userType === 'TYPE_MACHINE' ? 'Service User' : 'Human'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {m.roles.map((r) => (
                        <Tooltip key={r} label={roleDescription(r) || r}>
                          <Badge variant="light">{roleName(r)}</Badge>
                        </Tooltip>
                      ))}
                      <InstanceRoleBadges roles={instanceRoles.get(m.userId) ?? []} />
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {canWrite && (
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Edit roles of ${m.displayName}`}
                          onClick={() => {
                            setTarget(m);
                            editModal.open();
                          }}
                        >
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      )}
                      {canDelete && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${m.displayName}`}
                          onClick={() => {
                            setTarget(m);
                            removeModal.open();
                          }}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddManagerModal opened={adding} onClose={addModal.close} memberIds={memberIds} />
      <EditRolesModal opened={editing} onClose={editModal.close} member={target} />
      <RemoveManagerModal
        opened={removing}
        onClose={removeModal.close}
        member={target}
        orgName={orgName}
        instanceRoles={target ? instanceRoles.get(target.userId) : undefined}
      />
    </Paper>
  );
}
