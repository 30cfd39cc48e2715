import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ApiRequestError, errorMessage } from '../../lib/api';
import { usePageTitle } from '../../lib/use-page-title';
import { useSignIn, whoamiQuery } from './api';

export function SignInPage() {
  const { data: me } = useQuery(whoamiQuery);
  const signIn = useSignIn();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  usePageTitle('Sign in');
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const error = signIn.error;
  const alertRef = useRef<HTMLDivElement>(null);
  // Each failed attempt moves focus to what went wrong; the next Tab reaches Username.
  useEffect(() => {
    if (error) alertRef.current?.focus();
  }, [error]);

  if (me) return <Navigate to={from} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ username, password });
  };
  const message = error instanceof ApiRequestError && error.status === 401 ? 'Username or password is incorrect.' : error && errorMessage(error);

  return (
    <Center component="main" mih="100vh" bg="var(--mantine-color-default-hover)">
      <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" w={380} aria-labelledby="signin-title">
        <Stack>
          <Title order={1} size="h2" id="signin-title">
            Sign in to Tessera
          </Title>
          {message && (
            <Alert color="red" role="alert" ref={alertRef} tabIndex={-1}>
              {message}
            </Alert>
          )}
          <TextInput label="Username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
