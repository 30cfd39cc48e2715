import { Button, type MantineSize } from '@mantine/core';
import { useNavigate } from 'react-router';
import { forgetActingOrg } from '../../app/acting-org';
import { useSignOut } from './api';

/** Ends the session, forgets the organization acted on, and goes to sign-in, whatever the server answered. */
export function SignOutButton({ size }: { size?: MantineSize }) {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <Button
      variant="default"
      size={size}
      loading={signOut.isPending}
      onClick={() =>
        signOut.mutate(undefined, {
          onSettled: () => {
            forgetActingOrg();
            void navigate('/signin', { replace: true });
          },
        })
      }
    >
      Sign out
    </Button>
  );
}
