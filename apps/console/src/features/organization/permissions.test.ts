import { ORG_ROLES, PERMISSIONS } from '@tessera/contracts';
import { describe, expect, it } from 'vitest';
import { grantedPermissions } from './permissions';

describe('console permissions', () => {
  it('gives the instance owner everything and others what their roles grant', () => {
    expect(grantedPermissions(true, []).size).toBe(PERMISSIONS.length);
    const viewer = grantedPermissions(false, ['ORG_OWNER_VIEWER']);
    expect(viewer.has('org.member.read')).toBe(true);
    expect(viewer.has('org.member.write')).toBe(false);
    expect(grantedPermissions(false, ['ORG_PROJECT_CREATOR']).has('org.read')).toBe(false);
    expect(grantedPermissions(false, ['NOT_A_ROLE']).size).toBe(0);
  });

  // myRolesQuery reads the caller's roles from the members list and treats 403 as "no roles":
  // that is only right while every role that changes the organization or its managers can read them.
  it('every role that may change the organization or its managers may also read the managers', () => {
    for (const role of ORG_ROLES) {
      const p = new Set<string>(role.permissions);
      if (p.has('org.write') || p.has('org.member.write') || p.has('org.member.delete')) {
        expect(p.has('org.member.read'), role.key).toBe(true);
      }
    }
  });
});
