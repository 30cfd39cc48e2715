import { Alert, Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { API_AUTH_METHODS, orgNameSchema, type ApiAuthMethod } from '@tessera/contracts';
import { useState } from 'react';
import { ApiRequestError, errorMessage } from '../../../lib/api';
import type { useAddApp } from '../api';
import { notify } from '../../../lib/notify';
import { AUTH_METHOD_LABELS } from '../format';

const DESCRIPTIONS: Record<ApiAuthMethod, string> = {
  API_AUTH_METHOD_TYPE_BASIC: 'The API introspects with a ClientID and a ClientSecret (HTTP Basic), shown once after creating.',
  API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT: 'The API signs a JWT with a key file to introspect; the first key file is offered for download once after creating.',
};

/** ZITADEL's New Application, for the one type Tessera has: API, with Basic or Private Key JWT. */
export function NewAppDialog({ opened, onClose, add }: { opened: boolean; onClose: () => void; add: ReturnType<typeof useAddApp> }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New Application" centered>
      <NewAppForm onClose={onClose} add={add} />
    </Modal>
  );
}

function NewAppForm({ onClose, add }: { onClose: () => void; add: ReturnType<typeof useAddApp> }) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<{ name: string; authMethodType: ApiAuthMethod }>({
    initialValues: { name: '', authMethodType: 'API_AUTH_METHOD_TYPE_BASIC' },
    validate: {
      // An application's name follows the same rules as an organization's or a project's.
      name: (v) => {
        const r = orgNameSchema.safeParse(v);
        return r.success ? null : (r.error.issues[0]?.message ?? 'Invalid name');
      },
    },
  });
  const submit = form.onSubmit(({ name, authMethodType }) => {
    setError(null);
    add.mutate(
      { name: name.trim(), authMethodType },
      {
        onSuccess: ({ keyError }) => {
          if (keyError) notify('red', 'The application was created, but not its key', `${errorMessage(keyError)} Add one with New key on its row.`);
          onClose();
        },
        onError: (err) => {
          if (err instanceof ApiRequestError && err.field === 'name') form.setFieldError('name', err.message);
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
        <TextInput label="Name" required data-autofocus autoComplete="off" {...form.getInputProps('name')} />
        <Text size="sm">
          Type: <strong>API</strong>, an application that receives tokens and checks them by introspection.
        </Text>
        <Radio.Group label="Authentication Method" {...form.getInputProps('authMethodType')}>
          <Stack gap="xs" mt="xs">
            {API_AUTH_METHODS.map((m) => (
              <Radio key={m} value={m} label={AUTH_METHOD_LABELS[m]} description={DESCRIPTIONS[m]} />
            ))}
          </Stack>
        </Radio.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={add.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Create
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
