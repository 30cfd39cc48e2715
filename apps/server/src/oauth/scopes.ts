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
const PROJECT_ROLE = 'urn:zitadel:iam:org:project:role:';

export interface ScopeOwner {
  clientId: string;
  orgId: string;
  primaryDomain: string;
}

export interface GrantedScope {
  scope: string[];
  aud: string[];
}

/**
 * What a service user is granted of what it asked for. The audience always names the client
 * (RFC 9068 requires one) and names the management API only for its scope. Scopes naming another
 * organization are dropped, and so are project audiences: Tessera has no projects but its own API,
 * so unlike ZITADEL (issue #10139) nobody can ask a token into an audience that does not exist.
 */
export function grantScopes(requested: readonly string[], owner: ScopeOwner, managementAudience: string): GrantedScope {
  const scope: string[] = [];
  let management = false;
  for (const s of requested) {
    if (s === MANAGEMENT_AUD_SCOPE) {
      management = true;
      scope.push(s);
    } else if (STANDARD_SCOPES.includes(s)) {
      scope.push(s);
    } else if (s.startsWith(ORG_ID)) {
      if (s.slice(ORG_ID.length) === owner.orgId) scope.push(s);
    } else if (s.startsWith(ORG_DOMAIN)) {
      if (s.slice(ORG_DOMAIN.length).toLowerCase() === owner.primaryDomain.toLowerCase()) scope.push(s);
    } else if (s.startsWith(PROJECT_ROLE) && s.length > PROJECT_ROLE.length) {
      scope.push(s);
    }
  }
  return { scope, aud: management ? [owner.clientId, managementAudience] : [owner.clientId] };
}
