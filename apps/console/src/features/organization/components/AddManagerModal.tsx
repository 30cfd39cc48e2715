import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { useAddMember } from '../api';
import { roleName } from '../roles';
import { RolePicker } from './RolePicker';
import { UserPicker, type PickedUser } from './UserPicker';
import { notify } from '../../../lib/notify';

interface Props {
  opened: boolean;
  onClose: () => void;
  memberIds: ReadonlySet<string>;
}

/** The "+" dialog: give a user (a service user or a human) manager roles in this organization. */
export function AddManagerModal({ opened, onClose, memberIds }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="Add a Manager" size="lg">
      <AddManagerForm onClose={onClose} memberIds={memberIds} />
    </Modal>
  );
}

function AddManagerForm({ onClose, memberIds }: Omit<Props, 'opened'>) {
  const [user, setUser] = useState<PickedUser | null>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const add = useAddMember();
  const ready = user !== null && roles.length > 0;

  const submit = () => {
    if (!user || !ready) return;
    add.mutate(
      { userId: user.id, roles },
      {
        onSuccess: () => {
          notify('green', 'Manager added', `${user.label}: ${roles.map(roleName).join(', ')}`);
          onClose();
        },
      },
    );
  };

  return (
    <Stack>
      {add.error && (
        <Alert color="red" role="alert">
          {errorMessage(add.error)}
        </Alert>
      )}
      <UserPicker value={user} onChange={setUser} memberIds={memberIds} />
      <RolePicker value={roles} onChange={setRoles} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={submit} disabled={!ready} loading={add.isPending}>
          Add
        </Button>
      </Group>
    </Stack>
  );
}
