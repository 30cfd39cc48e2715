import { Anchor, Breadcrumbs, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm, type FormErrors } from '@mantine/form';
import { addMachineUserSchema, USERNAME_RULE, type AccessTokenType } from '@tessera/contracts';
import { Link, useNavigate } from 'react-router';
import { useUnsavedChangesGuard } from '../../../components/UnsavedChangesGuard';
import { ApiRequestError, errorMessage } from '../../../lib/api';
import { usePageTitle } from '../../../lib/use-page-title';
import { useCreateServiceUser } from '../api';
import { TOKEN_TYPE_OPTIONS } from '../format';
import { notify } from '../../../lib/notify';

interface Values {
  userName: string;
  name: string;
  description: string;
  accessTokenType: AccessTokenType;
}

/** The fields in the order they are shown: focus goes to the first one in error. */
const FIELDS: (keyof Values)[] = ['userName', 'name', 'description', 'accessTokenType'];

const sentence = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** The guide's steps 2-4: "New", a username and a display name, "Create". */
export function NewServiceUserPage() {
  usePageTitle('New Service User', 'Service Users');
  const create = useCreateServiceUser();
  const navigate = useNavigate();
  const form = useForm<Values>({
    initialValues: { userName: '', name: '', description: '', accessTokenType: 'ACCESS_TOKEN_TYPE_BEARER' },
    validate: schemaResolver(addMachineUserSchema, { sync: true }),
    // Checked on submit, not on blur: an error appearing on blur shifts the layout under the pointer
    // and swallows the click on the submit button. An edited field drops its error.
  });

  const unsaved = useUnsavedChangesGuard(form.isDirty());

  const focusFirstInvalid = (errors: FormErrors) => {
    const first = FIELDS.find((f) => Boolean(errors[f]));
    if (first) form.getInputNode(first)?.focus();
  };

  const submit = form.onSubmit((values) => {
    const body = addMachineUserSchema.parse(values);
    create.mutate(body, {
      onSuccess: ({ userId }) => {
        notify('green', 'Service user created', `${body.userName} is ready. Generate a client secret from Actions.`);
        unsaved.allowLeaving();
        void navigate(`/service-users/${userId}`);
      },
      onError: (err) => {
        // The server has the last word on names (a taken username is a 409 naming userName).
        if (err instanceof ApiRequestError && err.field && err.field in values) {
          form.setFieldError(err.field as keyof Values, sentence(err.message));
          focusFirstInvalid({ [err.field]: err.message });
        } else {
          notify('red', 'The service user was not created', errorMessage(err));
        }
      },
    });
  }, focusFirstInvalid);

  return (
    <Stack maw={640}>
      <Breadcrumbs>
        <Anchor component={Link} to="/service-users">
          Service Users
        </Anchor>
        <Text>New</Text>
      </Breadcrumbs>
      <Title order={1}>New Service User</Title>
      <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="New service user">
        <Stack>
          <TextInput
            label="Username"
            description={`Also the ClientID. ${USERNAME_RULE}`}
            withAsterisk
            autoComplete="off"
            // eslint-disable-next-line jsx-a11y/no-autofocus -- the page is one form, opened with New to fill it in: focus starts in its first field, whose label is read with it
            autoFocus
            {...form.getInputProps('userName')}
          />
          <TextInput label="Display Name" withAsterisk autoComplete="off" {...form.getInputProps('name')} />
          <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
          <Select
            label="Access Token Type"
            description="Bearer: an opaque token. JWT: a signed token APIs can check on their own."
            data={TOKEN_TYPE_OPTIONS}
            allowDeselect={false}
            {...form.getInputProps('accessTokenType')}
          />
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                unsaved.allowLeaving(); // Cancel is the choice to drop what was typed
                void navigate('/service-users');
              }}
            >
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create
            </Button>
          </Group>
        </Stack>
      </Paper>
      {unsaved.dialog}
    </Stack>
  );
}
