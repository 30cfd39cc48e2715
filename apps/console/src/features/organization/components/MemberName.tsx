import { Text } from '@mantine/core';

/** A manager as the Managers and Instance cards show one: the display name, the login name under it. */
export function MemberName({ member }: { member: { displayName: string; preferredLoginName: string } }) {
  return (
    <>
      <Text size="sm" fw={500}>
        {member.displayName}
      </Text>
      <Text size="xs" c="dimmed">
        {member.preferredLoginName}
      </Text>
    </>
  );
}
