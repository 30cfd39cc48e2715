/**
 * Manager roles and the permissions they grant, after ZITADEL's role mapping
 * (see shared/reference/zitadel-behaviour.md section 3). The server decides with
 * these; the console shows their names and descriptions.
 */
/** What Org Owner holds of projects, their roles, grants and applications. */
const PROJECT_PERMISSIONS = [
  'project.read',
  'project.create',
  'project.write',
  'project.delete',
  'project.grant.write',
  'project.grant.delete',
  'project.role.read',
  'project.role.write',
  'project.role.delete',
  'project.app.read',
  'project.app.write',
  'project.app.delete',
] as const;

export const PERMISSIONS = [
  'org.read',
  'org.write',
  'org.create',
  'org.member.read',
  'org.member.write',
  'org.member.delete',
  'user.read',
  'user.write',
  'user.delete',
  'user.grant.read',
  'user.grant.write',
  'user.grant.delete',
  'session.read',
  'session.delete',
  'policy.read',
  'policy.write',
  'policy.delete',
  ...PROJECT_PERMISSIONS,
  // Instance-wide only: which users are the instance's administrators (instance roles).
  'iam.member.read',
  'iam.member.write',
  'iam.member.delete',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface RoleDefinition {
  key: string;
  name: string;
  description: string;
  permissions: readonly Permission[];
}

const userGrant: Permission[] = ['user.grant.read', 'user.grant.write', 'user.grant.delete'];
const policy: Permission[] = ['policy.read', 'policy.write', 'policy.delete'];
/** What ZITADEL's read-only and grant-editing roles may see of projects. */
const projectView: Permission[] = ['project.read', 'project.role.read', 'project.app.read'];

export const ORG_ROLES = [
  {
    key: 'ORG_OWNER',
    name: 'Org Owner',
    description: 'Has permission over the whole organization.',
    permissions: [
      'org.read',
      'org.write',
      'org.member.read',
      'org.member.write',
      'org.member.delete',
      'user.read',
      'user.write',
      'user.delete',
      ...userGrant,
      'session.read',
      'session.delete',
      ...policy,
      ...PROJECT_PERMISSIONS,
    ],
  },
  {
    key: 'ORG_OWNER_VIEWER',
    name: 'Org Owner Viewer',
    description: 'Can read the whole organization, but change nothing.',
    permissions: ['org.read', 'org.member.read', 'user.read', 'user.grant.read', 'session.read', 'policy.read', ...projectView],
  },
  {
    key: 'ORG_USER_MANAGER',
    name: 'Org User Manager',
    // user.write includes GenerateMachineSecret for every service user of the organization, as in
    // ZITADEL: whoever holds this role can become any of them (SECURITY.md, "A User Manager taking
    // over a stronger service user"). Said where the role is granted.
    description:
      "Can create, change and delete users and their grants. Can replace any service user's client secret, including an Org Owner's, and so act as that user.",
    permissions: ['org.read', 'user.read', 'user.write', 'user.delete', ...userGrant, 'session.read', 'session.delete', 'project.read', 'project.role.read'],
  },
  {
    key: 'ORG_USER_PERMISSION_EDITOR',
    name: 'Org User Permission Editor',
    description: 'Can read users and change their grants.',
    permissions: ['org.read', 'org.member.read', 'user.read', ...userGrant, ...projectView],
  },
  {
    key: 'ORG_PROJECT_PERMISSION_EDITOR',
    name: 'Org Project Permission Editor',
    description: 'Can change user grants and project grants.',
    permissions: ['org.read', 'org.member.read', 'user.read', ...userGrant, ...projectView, 'project.grant.write', 'project.grant.delete'],
  },
  {
    key: 'ORG_PROJECT_CREATOR',
    name: 'Org Project Creator',
    description: 'Can create projects, and nothing else in the organization.',
    permissions: ['project.create'],
  },
  {
    key: 'ORG_SETTINGS_MANAGER',
    name: 'Org Settings Manager',
    description: 'Can change the organization and its settings.',
    permissions: ['org.read', 'org.write', 'org.member.read', ...policy],
  },
] as const satisfies readonly RoleDefinition[];

export type OrgRole = (typeof ORG_ROLES)[number]['key'];
export const ORG_ROLE_KEYS: OrgRole[] = ORG_ROLES.map((r) => r.key);

/** The instance owner may do everything in every organization. */
export const INSTANCE_OWNER_ROLE = 'IAM_OWNER';

/**
 * Instance-level roles. Their permissions hold in every organization and for instance-wide
 * calls (create or list organizations, which need org.create and org.read instance-wide).
 */
export const INSTANCE_ROLES = [
  {
    key: INSTANCE_OWNER_ROLE,
    name: 'Instance Owner',
    description: 'Has permission over every organization of the instance.',
    permissions: PERMISSIONS,
  },
  {
    key: 'IAM_OWNER_VIEWER',
    name: 'Instance Owner Viewer',
    description: 'Can read every organization of the instance and its administrators, but change nothing.',
    permissions: ['org.read', 'org.member.read', 'user.read', 'user.grant.read', 'session.read', 'policy.read', ...projectView, 'iam.member.read'],
  },
] as const satisfies readonly RoleDefinition[];

export function isOrgRole(key: string): key is OrgRole {
  return (ORG_ROLE_KEYS as string[]).includes(key);
}

export function roleDefinition(key: string): RoleDefinition | undefined {
  return ORG_ROLES.find((r) => r.key === key);
}

export function instanceRoleDefinition(key: string): RoleDefinition | undefined {
  return INSTANCE_ROLES.find((r) => r.key === key);
}

/** Every permission the given roles grant together; unknown role keys grant nothing. */
export function permissionsOf(roleKeys: readonly string[], lookup = roleDefinition): Set<Permission> {
  const granted = new Set<Permission>();
  for (const key of roleKeys) for (const p of lookup(key)?.permissions ?? []) granted.add(p);
  return granted;
}

/** Roles in the order ORG_ROLES lists them, so equal sets compare and display the same. */
export function sortOrgRoles<T extends string>(roleKeys: readonly T[]): T[] {
  const rank = (k: string) => {
    const i = (ORG_ROLE_KEYS as string[]).indexOf(k);
    return i === -1 ? ORG_ROLE_KEYS.length : i;
  };
  return [...roleKeys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
