import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { usePageTitle } from '../../lib/use-page-title';
import { ChangePasswordForm } from './ChangePasswordForm';
import { notifyPasswordChanged } from './notify';
import { SignOutButton } from './SignOutButton';

/** Shown instead of the console while the operator's password is one someone else chose. */
export function ChangePasswordPage({ userName }: { userName: string }) {
  usePageTitle('Choose your password');
  return (
    <Center mih="100vh" bg="var(--mantine-color-default-hover)">
      <Paper withBorder shadow="sm" p="xl" w={420} aria-labelledby="change-password-title">
        <Stack>
          <Title order={1} size="h2" id="change-password-title">
            Choose your password
          </Title>
          <Text size="sm">
            The password of {userName} was set by someone else. Choose your own to continue: the current one is the password you just signed in with.
          </Text>
          <ChangePasswordForm onDone={notifyPasswordChanged} extraAction={<SignOutButton />} />
        </Stack>
      </Paper>
    </Center>
  );
}
