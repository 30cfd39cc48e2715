import { Button, Group, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { updateMachineSchema, type AccessTokenType, type MachineUserView } from '@tessera/contracts';
import { useUnsavedChangesGuard } from '../../../components/UnsavedChangesGuard';
import { ApiRequestError, errorMessage } from '../../../lib/api';
import { useUpdateServiceUser } from '../api';
import { TOKEN_TYPE_OPTIONS } from '../format';
import { notify } from '../../../lib/notify';

interface Values {
  name: string;
  description: string;
  accessTokenType: AccessTokenType;
}

/** Display name, description and token type; the user name is the client id and stays as it is. */
export function EditServiceUserForm({ user }: { user: MachineUserView }) {
  const update = useUpdateServiceUser(user.id);
  const machine = user.machine!;
  const form = useForm<Values>({
    initialValues: { name: machine.name, description: machine.description, accessTokenType: machine.accessTokenType },
    validate: schemaResolver(updateMachineSchema, { sync: true }),
    // Checked on submit, not on blur: an error appearing on blur shifts the layout under the pointer
    // and swallows the click on the submit button. An edited field drops its error.
  });

  const unsaved = useUnsavedChangesGuard(form.isDirty());

  const submit = form.onSubmit((values) => {
    const body = updateMachineSchema.parse(values);
    update.mutate(body, {
      onSuccess: () => {
        form.resetDirty(body);
        notify('green', 'Changes saved', user.userName);
      },
      onError: (err) => {
        if (err instanceof ApiRequestError && err.field && err.field in values) form.setFieldError(err.field as keyof Values, err.message);
        else notify('red', 'The changes were not saved', errorMessage(err));
      },
    });
  });

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="edit-title" noValidate>
      <Stack>
        <Title order={2} size="h4" id="edit-title">
          Settings
        </Title>
        <TextInput label="Display Name" withAsterisk {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
        <Select label="Access Token Type" data={TOKEN_TYPE_OPTIONS} allowDeselect={false} {...form.getInputProps('accessTokenType')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty() || update.isPending}>
            Discard
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
            Save
          </Button>
        </Group>
      </Stack>
      {unsaved.dialog}
    </Paper>
  );
}
