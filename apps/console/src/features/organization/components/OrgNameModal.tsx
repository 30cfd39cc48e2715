import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { orgNameSchema } from '@tessera/contracts';
import { useState } from 'react';
import { ApiRequestError, errorMessage } from '../../../lib/api';

interface Props {
  opened: boolean;
  onClose: () => void;
  title: string;
  submitLabel: string;
  initialName: string;
  pending: boolean;
  /** Resolves when saved; a rejection is shown in the dialog (on the Name field when it names it). */
  onSubmit: (name: string) => Promise<unknown>;
}

/** One dialog for naming an organization or a project (the same rules): renaming it, or creating a new one. */
export function OrgNameModal({ opened, onClose, title, ...form }: Props) {
  // The form mounts with the dialog's content, so every opening starts from initialName.
  return (
    <Modal opened={opened} onClose={onClose} closeButtonProps={{ 'aria-label': 'Close' }} title={title}>
      <OrgNameForm onClose={onClose} {...form} />
    </Modal>
  );
}

function OrgNameForm({ onClose, submitLabel, initialName, pending, onSubmit }: Omit<Props, 'opened' | 'title'>) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: initialName },
    validate: {
      name: (v) => {
        const r = orgNameSchema.safeParse(v);
        return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid name');
      },
    },
  });

  const submit = form.onSubmit(async ({ name }) => {
    setError(null);
    try {
      await onSubmit(name.trim());
    } catch (err) {
      if (err instanceof ApiRequestError && err.field === 'name') form.setFieldError('name', err.message);
      else setError(errorMessage(err));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
