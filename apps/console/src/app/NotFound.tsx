import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { usePageTitle } from '../lib/use-page-title';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <Stack align="flex-start" p="md">
      <Title order={1}>Page not found</Title>
      <Text>There is nothing at this address.</Text>
      <Button component={Link} to="/service-users" variant="light">
        Go to Service Users
      </Button>
    </Stack>
  );
}
