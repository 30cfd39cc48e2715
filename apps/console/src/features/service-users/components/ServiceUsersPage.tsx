import { Title } from '@mantine/core';

export function ServiceUsersPage() {
  return <Title order={1}>Service Users</Title>;
}
