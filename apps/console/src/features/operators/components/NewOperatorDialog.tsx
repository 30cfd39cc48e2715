import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { userNameSchema } from '@tessera/contracts';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiRequestError, errorMessage } from '../../../lib/api';
import { CopyField } from '../../../components/CopyField';
import { useCreateOperator } from '../api';

interface Created {
  userName: string;
  initialPassword: string;
}

/**
 * Username and display name, then Create; the answer's initial password is shown once, in this
 * dialog's state only. The new operator chooses their own at the first sign-in.
 */
export function NewOperatorDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<Created | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? 'Initial password' : 'New operator'}
      centered
      size="lg"
      // Once the password is shown, a stray click beside the dialog must not throw it away.
      closeOnClickOutside={!created}
    >
      {opened && !created && <NewOperatorForm onCancel={close} onCreated={setCreated} />}
      {created && (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} title="Give this password to the operator now">
            It cannot be shown again. {created.userName} signs in with it once and then chooses their own.
          </Alert>
          <CopyField label="Username" value={created.userName} first />
          <CopyField label="Initial password" value={created.initialPassword} />
          <Group justify="flex-end">
            <Button onClick={close}>Close</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function NewOperatorForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (c: Created) => void }) {
  const create = useCreateOperator();
  const [userName, setUserName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const nameCheck = userNameSchema.safeParse(userName);
  const userNameError = nameCheck.success ? undefined : nameCheck.error.issues[0]?.message;
  const displayNameError = displayName.trim() ? undefined : 'Display Name is required';
  const taken = create.error instanceof ApiRequestError && create.error.field === 'userName';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (userNameError || displayNameError) return;
    create.mutate(
      { userName: userName.trim(), profile: { displayName: displayName.trim() } },
      { onSuccess: (r) => onCreated({ userName: userName.trim(), initialPassword: r.initialPassword ?? '' }) },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="New operator">
      <Stack>
        <Text size="sm" c="dimmed">
          A person who signs in to this console. Give them roles afterwards: Instance Owner here, or a manager role on the Organization page.
        </Text>
        {create.error && !taken && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <TextInput
          label="Username"
          required
          data-autofocus
          autoComplete="off"
          value={userName}
          onChange={(e) => setUserName(e.currentTarget.value)}
          error={taken ? 'A user with this username already exists' : submitted ? userNameError : undefined}
        />
        <TextInput
          label="Display Name"
          required
          autoComplete="off"
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={submitted ? displayNameError : undefined}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
