import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { PASSWORD_MIN_LENGTH } from '@tessera/contracts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiRequestError, errorMessage } from '../../lib/api';
import { useChangePassword } from './api';

/**
 * Current password, new password twice. Checked here first (length, the two match, not the current
 * one); the server checks again and says when the current one is wrong.
 */
export function ChangePasswordForm({ onDone, extraAction }: { onDone: () => void; extraAction?: ReactNode }) {
  const change = useChangePassword();
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const newError =
    newPassword.length < PASSWORD_MIN_LENGTH
      ? `Use at least ${PASSWORD_MIN_LENGTH} characters`
      : newPassword === oldPassword
        ? 'Choose a password other than the current one'
        : undefined;
  const confirmError = confirm !== newPassword ? 'The two new passwords differ' : undefined;
  const wrongCurrent = change.error instanceof ApiRequestError && change.error.field === 'oldPassword';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!oldPassword || newError || confirmError) return;
    change.mutate({ oldPassword, newPassword }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
      <Stack>
        {change.error && !wrongCurrent && (
          <Alert color="red" role="alert">
            {errorMessage(change.error)}
          </Alert>
        )}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          data-autofocus
          value={oldPassword}
          onChange={(e) => setOld(e.currentTarget.value)}
          error={wrongCurrent ? 'The current password is not correct' : submitted && !oldPassword ? 'Enter your current password' : undefined}
        />
        <PasswordInput
          label="New password"
          description={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(e) => setNew(e.currentTarget.value)}
          error={submitted ? newError : undefined}
        />
        <PasswordInput
          label="Confirm new password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.currentTarget.value)}
          error={submitted ? confirmError : undefined}
        />
        <Group justify="flex-end">
          {extraAction}
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
