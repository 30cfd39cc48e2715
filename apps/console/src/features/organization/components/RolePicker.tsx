import { Alert, Checkbox, Loader, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useActingOrg } from '../../../app/acting-org';
import { errorMessage } from '../../../lib/api';
import { memberRolesQuery } from '../api';
import { roleDescription, roleName } from '../roles';

/** The roles the server offers (ListOrgMemberRoles), each with its name and what it allows. */
export function RolePicker({ value, onChange }: { value: string[]; onChange: (roles: string[]) => void }) {
  const { orgId } = useActingOrg();
  const roles = useQuery(memberRolesQuery(orgId));
  if (roles.isPending) return <Loader size="sm" aria-label="Loading roles" />;
  if (roles.error) {
    return (
      <Alert color="red" role="alert" title="The roles could not be loaded">
        {errorMessage(roles.error)}
      </Alert>
    );
  }
  return (
    <Checkbox.Group label="Roles" description="Choose at least one." value={value} onChange={onChange}>
      <Stack gap="sm" mt="xs">
        {roles.data.map((key) => (
          <Checkbox key={key} value={key} label={roleName(key)} description={roleDescription(key)} />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}
