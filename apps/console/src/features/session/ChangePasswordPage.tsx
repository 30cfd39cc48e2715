import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { forgetActingOrg } from '../../app/acting-org';
import { useSignOut } from './api';
import { ChangePasswordForm } from './ChangePasswordForm';
import { notifyPasswordChanged } from './notify';

/** Shown instead of the console while the operator's password is one someone else chose. */
export function ChangePasswordPage({ userName }: { userName: string }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  const leave = () =>
    signOut.mutate(undefined, {
      onSettled: () => {
        forgetActingOrg();
        void navigate('/signin', { replace: true });
      },
    });
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={420} aria-labelledby="change-password-title">
        <Stack>
          <Title order={1} size="h2" id="change-password-title">
            Choose your password
          </Title>
          <Text size="sm">
            The password of {userName} was set by someone else. Choose your own to continue: the current one is the password you just signed in with.
          </Text>
          <ChangePasswordForm
            onDone={notifyPasswordChanged}
            extraAction={
              <Button variant="default" onClick={leave} loading={signOut.isPending}>
                Sign out
              </Button>
            }
          />
        </Stack>
      </Paper>
    </Center>
  );
}
