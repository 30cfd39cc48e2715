import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { roleKeySchema } from '@tessera/contracts';
import { useState } from 'react';
import { ApiRequestError, errorMessage } from '../../../lib/api';
import { notify } from '../../../lib/notify';
import { useAddRole } from '../api';

/** ZITADEL's New Role: Key (what tokens carry), Display Name and Group (for people). */
export function NewRoleDialog({ projectId, opened, onClose }: { projectId: string; opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New Role" centered>
      <NewRoleForm projectId={projectId} onClose={onClose} />
    </Modal>
  );
}

function NewRoleForm({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const add = useAddRole(projectId);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { roleKey: '', displayName: '', group: '' },
    validate: {
      roleKey: (v) => {
        const r = roleKeySchema.safeParse(v.trim());
        return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid key');
      },
    },
  });
  const submit = form.onSubmit((values) => {
    setError(null);
    const roleKey = values.roleKey.trim();
    add.mutate(
      { roleKey, displayName: values.displayName.trim(), group: values.group.trim() },
      {
        onSuccess: () => {
          notify('green', 'Role added', `The role ${roleKey} was added.`);
          onClose();
        },
        onError: (err) => {
          if (err instanceof ApiRequestError && err.field === 'roleKey') form.setFieldError('roleKey', err.message);
          else setError(errorMessage(err));
        },
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Key"
          description="What tokens and introspection carry, such as orders.read: letters, digits and . _ : -"
          required
          data-autofocus
          autoComplete="off"
          {...form.getInputProps('roleKey')}
        />
        <TextInput label="Display Name" autoComplete="off" {...form.getInputProps('displayName')} />
        <TextInput label="Group" description="Optional: roles of one group are listed together." autoComplete="off" {...form.getInputProps('group')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={add.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
