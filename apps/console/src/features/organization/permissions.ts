import { PERMISSIONS, permissionsOf, type Permission } from '@tessera/contracts';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useActingOrg } from '../../app/acting-org';
import { myRolesQuery } from './api';

export interface OrgPermissions {
  can: (p: Permission) => boolean;
  isPending: boolean;
}

/** What the console may offer: every permission for the instance owner, else what the roles grant. */
export function grantedPermissions(instanceOwner: boolean, roles: readonly string[]): Set<Permission> {
  return instanceOwner ? new Set(PERMISSIONS) : permissionsOf(roles);
}

/**
 * The signed-in user's permissions in the acting organization, to hide what the server would
 * refuse. Only a convenience: the server decides on every request.
 */
export function useOrgPermissions(): OrgPermissions {
  const { orgId, userId, instanceOwner } = useActingOrg();
  const roles = useQuery({ ...myRolesQuery(orgId, userId), enabled: !instanceOwner });
  return useMemo(() => {
    const granted = grantedPermissions(instanceOwner, roles.data ?? []);
    return { can: (p: Permission) => granted.has(p), isPending: !instanceOwner && roles.isPending };
  }, [instanceOwner, roles.data, roles.isPending]);
}
