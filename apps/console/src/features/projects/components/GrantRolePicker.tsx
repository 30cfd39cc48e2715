import { Checkbox, Stack, Text } from '@mantine/core';
import type { ProjectRoleView } from '@tessera/contracts';
import { groupRoles } from '../grant-roles';

/** The project's roles as checkboxes named by key (the display name beside it), grouped as ZITADEL groups them. */
export function GrantRolePicker({
  roles,
  value,
  onChange,
  disabled,
}: {
  roles: readonly ProjectRoleView[];
  value: string[];
  onChange: (keys: string[]) => void;
  disabled?: boolean;
}) {
  if (roles.length === 0) {
    return (
      <Text size="sm">This project has no roles yet: add them under Roles on the project's page. An authorization without roles grants its audience only.</Text>
    );
  }
  return (
    <Checkbox.Group label="Roles" description="The roles the service user holds in this project." value={value} onChange={onChange}>
      <Stack gap="sm" mt="xs">
        {groupRoles(roles).map(({ group, roles: inGroup }) => (
          <Stack key={group} gap={6} role="group" aria-label={group || 'Without a group'}>
            {group && (
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} aria-hidden>
                {group}
              </Text>
            )}
            {inGroup.map((r) => (
              <Checkbox key={r.key} value={r.key} label={r.key} description={r.displayName || undefined} disabled={disabled} />
            ))}
          </Stack>
        ))}
      </Stack>
    </Checkbox.Group>
  );
}
