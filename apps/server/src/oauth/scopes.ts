import { projectOfAudienceScope, ROLE_SCOPE_PREFIX, type RolesClaim } from '../domain/user-grants/granted-roles.js';
import { InvalidScope } from './errors.js';

/** RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by spaces. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The scopes in a scope parameter: in order, each once; tokens with characters RFC 6749 forbids are dropped. Never throws. */
export function parseScope(value: string): string[] {
  const out: string[] = [];
  for (const token of value.split(' ')) {
    if (token && SCOPE_TOKEN.test(token) && !out.includes(token)) out.push(token);
  }
  return out;
}

export const MANAGEMENT_AUD_SCOPE = 'urn:zitadel:iam:org:project:id:zitadel:aud';

/** The scopes ZITADEL keeps as they are (reference section 1); any other unknown scope is dropped. */
export const STANDARD_SCOPES: readonly string[] = [
  'openid',
  'profile',
  'email',
  'phone',
  'address',
  'offline_access',
  'urn:zitadel:iam:user:metadata',
  'urn:zitadel:iam:user:resourceowner',
  'urn:zitadel:iam:org:projects:roles',
];
const ORG_ID = 'urn:zitadel:iam:org:id:';
const ORG_DOMAIN = 'urn:zitadel:iam:org:domain:primary:';

export interface ScopeOwner {
  clientId: string;
  orgId: string;
  primaryDomain: string;
}

export interface GrantedScope {
  scope: string[];
  aud: string[];
  /** The project ids the audience holds besides the client and the management API. */
  projects: string[];
  /** The roles granted in those projects, as the role scopes ask for them (embedded in JWTs). */
  roles?: RolesClaim;
}

/** The project ids asked for as audiences (urn:zitadel:iam:org:project:id:{id}:aud), to be checked against the owner's organization. */
export function requestedProjects(requested: readonly string[]): string[] {
  const ids: string[] = [];
  for (const s of requested) {
    const id = projectOfAudienceScope(s);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * What a service user is granted of what it asked for. The audience always names the client
 * (RFC 9068 requires one), the management API only for its scope, and each project of the user's
 * organization asked for by urn:zitadel:iam:org:project:id:{id}:aud (`ownProjects`: those of them
 * that exist there). A project audience of another organization, or of no project, is refused:
 * unlike ZITADEL (issue #10139) nobody can ask a token into an audience that is not theirs. Scopes
 * naming another organization are dropped. Role scopes are kept here and narrowed to the granted
 * roles by the caller, which reads the grants.
 */
export function grantScopes(requested: readonly string[], owner: ScopeOwner, managementAudience: string, ownProjects: ReadonlySet<string>): GrantedScope {
  const scope: string[] = [];
  const projects: string[] = [];
  let management = false;
  for (const s of requested) {
    const projectId = projectOfAudienceScope(s);
    if (s === MANAGEMENT_AUD_SCOPE) {
      management = true;
      scope.push(s);
    } else if (projectId !== undefined) {
      if (!ownProjects.has(projectId)) throw new InvalidScope(`${s} names no project of the service user's organization`);
      projects.push(projectId);
      scope.push(s);
    } else if (STANDARD_SCOPES.includes(s)) {
      scope.push(s);
    } else if (s.startsWith(ORG_ID)) {
      if (s.slice(ORG_ID.length) === owner.orgId) scope.push(s);
    } else if (s.startsWith(ORG_DOMAIN)) {
      if (s.slice(ORG_DOMAIN.length).toLowerCase() === owner.primaryDomain.toLowerCase()) scope.push(s);
    } else if (s.startsWith(ROLE_SCOPE_PREFIX) && s.length > ROLE_SCOPE_PREFIX.length) {
      scope.push(s);
    }
  }
  return { scope, aud: [owner.clientId, ...projects, ...(management ? [managementAudience] : [])], projects };
}
