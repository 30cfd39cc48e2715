import type { Sql } from '../../storage/port.js';

export const PROJECT_AUD_PREFIX = 'urn:zitadel:iam:org:project:id:';
export const PROJECT_AUD_SUFFIX = ':aud';
/** All granted roles of the audience's projects. */
export const ALL_ROLES_SCOPE = 'urn:zitadel:iam:org:projects:roles';
/** One role, when it is granted. */
export const ROLE_SCOPE_PREFIX = 'urn:zitadel:iam:org:project:role:';
/** ZITADEL's claim: {roleKey: {orgId: orgPrimaryDomain}}. */
export const ROLES_CLAIM = 'urn:zitadel:iam:org:project:roles';

export type RolesClaim = Record<string, Record<string, string>>;

/** The project id a scope asks the audience to hold, if it is a project audience scope (not the management API's "zitadel"). */
export function projectOfAudienceScope(scope: string): string | undefined {
  if (!scope.startsWith(PROJECT_AUD_PREFIX) || !scope.endsWith(PROJECT_AUD_SUFFIX)) return undefined;
  const id = scope.slice(PROJECT_AUD_PREFIX.length, -PROJECT_AUD_SUFFIX.length);
  return id && id !== 'zitadel' ? id : undefined;
}

/** Whether the scopes ask for role claims at all; when not, no grant is read. */
export function asksForRoles(scope: readonly string[]): boolean {
  return scope.some((s) => s === ALL_ROLES_SCOPE || (s.startsWith(ROLE_SCOPE_PREFIX) && s.length > ROLE_SCOPE_PREFIX.length));
}

/** The project ids in a token's audience (the audience also names the client and perhaps the management API). */
export function audienceProjects(aud: readonly string[], clientId: string): string[] {
  return aud.filter((a) => a !== clientId && /^\d{1,20}$/.test(a));
}

/**
 * The roles the user is granted now in the given projects, as far as the scopes ask for them: all of
 * them with urn:zitadel:iam:org:projects:roles, otherwise those named by urn:zitadel:iam:org:project:role:{key}.
 * Undefined when the scopes ask for none or none is granted, so the claim is left out.
 */
export async function grantedRoles(sql: Sql, userId: string, projectIds: readonly string[], scope: readonly string[]): Promise<RolesClaim | undefined> {
  if (!projectIds.length || !asksForRoles(scope)) return undefined;
  const all = scope.includes(ALL_ROLES_SCOPE);
  const asked = new Set(scope.filter((s) => s.startsWith(ROLE_SCOPE_PREFIX)).map((s) => s.slice(ROLE_SCOPE_PREFIX.length)));
  const rows = await sql.all<{ role_keys: string; org_id: string; primary_domain: string }>(
    `SELECT g.role_keys, g.org_id, o.primary_domain FROM user_grants g JOIN orgs o ON o.id = g.org_id
     WHERE g.user_id = ? AND g.project_id IN (${projectIds.map(() => '?').join(', ')})`,
    [userId, ...projectIds],
  );
  // No prototype: a role may be called "constructor".
  const claim = Object.create(null) as RolesClaim;
  for (const r of rows) {
    for (const key of JSON.parse(r.role_keys) as string[]) {
      if (!all && !asked.has(key)) continue;
      if (!Object.hasOwn(claim, key)) claim[key] = {};
      claim[key]![r.org_id] = r.primary_domain;
    }
  }
  return Object.keys(claim).length ? claim : undefined;
}

/** The scopes as granted: a role scope stays only when that role is in the claim. */
export function keepGrantedRoleScopes(scope: readonly string[], claim: RolesClaim | undefined): string[] {
  return scope.filter((s) => !s.startsWith(ROLE_SCOPE_PREFIX) || (claim !== undefined && Object.hasOwn(claim, s.slice(ROLE_SCOPE_PREFIX.length))));
}
