import { Badge, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { InstanceMemberView } from '@tessera/contracts';
import { instanceRoleDescription, instanceRoleName } from '../roles';
import { MemberName } from './MemberName';

/** The badges of a person's instance roles, each explained on hover. */
export function InstanceRoleBadges({ roles }: { roles: readonly string[] }) {
  return (
    <Group gap={4}>
      {roles.map((r) => (
        <Tooltip key={r} label={instanceRoleDescription(r) || r}>
          <Badge variant="outline" color="violet">
            {instanceRoleName(r)}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

/**
 * Who holds an instance role: the first administrator's Instance Owner, say. Those roles hold in
 * every organization, this one included, though they are not among its managers.
 */
export function InstanceCard({ members }: { members: readonly InstanceMemberView[] }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="instance-title">
      <Title order={2} size="h4" id="instance-title">
        Instance
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Instance roles hold in every organization, this one included.
      </Text>
      <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {members.map((m) => (
          <Group key={m.userId} component="li" justify="space-between" wrap="wrap">
            <div>
              <MemberName member={m} />
            </div>
            <InstanceRoleBadges roles={m.roles} />
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
