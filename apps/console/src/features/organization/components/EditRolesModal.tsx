import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { OrgMemberView } from '@tessera/contracts';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api';
import { useUpdateMember } from '../api';
import { RolePicker } from './RolePicker';
import { notify } from '../../../lib/notify';

interface Props {
  opened: boolean;
  onClose: () => void;
  member: OrgMemberView | null;
}

export function EditRolesModal({ opened, onClose, member }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title="Edit Roles" size="lg">
      {member && <EditRolesForm key={member.userId} member={member} onClose={onClose} />}
    </Modal>
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function EditRolesForm({ member, onClose }: { member: OrgMemberView; onClose: () => void }) {
  const [roles, setRoles] = useState<string[]>(member.roles);
  const update = useUpdateMember();
  const unchanged = sameSet(roles, member.roles);

  const submit = () =>
    update.mutate(
      { userId: member.userId, roles },
      {
        onSuccess: () => {
          notify('green', 'Roles saved', `The roles of ${member.displayName} were changed.`);
          onClose();
        },
      },
    );

  return (
    <Stack>
      <Text size="sm">
        Roles of <b>{member.displayName}</b> ({member.preferredLoginName}). The change applies to its very next request.
      </Text>
      {update.error && (
        <Alert color="red" role="alert">
          {errorMessage(update.error)}
        </Alert>
      )}
      <RolePicker value={roles} onChange={setRoles} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={submit} disabled={roles.length === 0 || unchanged} loading={update.isPending}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}
