import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { OrgMemberView } from '@tessera/contracts';
import { errorMessage } from '../../../lib/api';
import { useRemoveMember } from '../api';

interface Props {
  opened: boolean;
  onClose: () => void;
  member: OrgMemberView | null;
  orgName: string;
}

/** Confirmation before a manager loses its roles; the user itself is kept. */
export function RemoveManagerModal({ opened, onClose, member, orgName }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="Remove Manager">
      {member && <RemoveManager key={member.userId} member={member} orgName={orgName} onClose={onClose} />}
    </Modal>
  );
}

function RemoveManager({ member, orgName, onClose }: { member: OrgMemberView; orgName: string; onClose: () => void }) {
  const remove = useRemoveMember();
  const confirm = () =>
    remove.mutate(member.userId, {
      onSuccess: () => {
        notifications.show({ color: 'green', title: 'Manager removed', message: `${member.displayName} is no longer a manager.` });
        onClose();
      },
    });
  return (
    <Stack>
      <Text size="sm">
        <b>{member.displayName}</b> ({member.preferredLoginName}) will lose every manager role in {orgName}, from its very next request. The user itself is not
        deleted.
      </Text>
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
