import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { OrgMemberView } from '@tessera/contracts';
import { errorMessage } from '../../../lib/api';
import { useRemoveMember } from '../api';
import { instanceRoleName, roleName } from '../roles';
import { notify } from '../../../lib/notify';

interface Props {
  opened: boolean;
  onClose: () => void;
  member: OrgMemberView | null;
  orgName: string;
  /** The person's instance roles, which removing them here does not touch. */
  instanceRoles: readonly string[] | undefined;
}

const list = (names: string[]) => new Intl.ListFormat('en', { type: 'conjunction' }).format(names);

/**
 * Confirmation before a manager loses its roles in this organization; the user itself is kept, and
 * so are any instance roles, which still reach this organization: the dialog says so.
 */
export function RemoveManagerModal({ opened, onClose, member, orgName, instanceRoles = [] }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="Remove Manager">
      {member && <RemoveManager key={member.userId} member={member} orgName={orgName} instanceRoles={instanceRoles} onClose={onClose} />}
    </Modal>
  );
}

function RemoveManager({
  member,
  orgName,
  instanceRoles,
  onClose,
}: {
  member: OrgMemberView;
  orgName: string;
  instanceRoles: readonly string[];
  onClose: () => void;
}) {
  const remove = useRemoveMember();
  const confirm = () =>
    remove.mutate(member.userId, {
      onSuccess: () => {
        notify('green', 'Manager removed', `${member.displayName} is no longer a manager.`);
        onClose();
      },
    });
  return (
    <Stack>
      {instanceRoles.length === 0 ? (
        <Text size="sm">
          <b>{member.displayName}</b> ({member.preferredLoginName}) will lose every manager role in {orgName}, from its very next request. The user itself is
          not deleted.
        </Text>
      ) : (
        <Text size="sm">
          <b>{member.displayName}</b> ({member.preferredLoginName}) will lose {member.roles.length === 1 ? 'the role' : 'the roles'}{' '}
          {list(member.roles.map(roleName))} in {orgName}, from its very next request. They keep {list(instanceRoles.map(instanceRoleName))},{' '}
          {instanceRoles.length === 1 ? 'an instance role that still reaches' : 'instance roles that still reach'} every organization, {orgName} included. The
          user itself is not deleted.
        </Text>
      )}
      {remove.error && (
        <Alert color="red" role="alert">
          {errorMessage(remove.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color="red" onClick={confirm} loading={remove.isPending}>
          Remove
        </Button>
      </Group>
    </Stack>
  );
}
