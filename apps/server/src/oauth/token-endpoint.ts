import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context.js';
import { asksForRoles, grantedRoles, keepGrantedRoleScopes } from '../domain/user-grants/granted-roles.js';
import type { Sql } from '../storage/port.js';
import { assertionAuthenticator, JWT_BEARER_GRANT } from './assertion-auth.js';
import { clientAuthenticator, presentsClientAuthentication, type AuthenticatedClient } from './client-auth.js';
import { InvalidGrant, InvalidRequest, InvalidScope, UnsupportedGrantType } from './errors.js';
import { readForm, type FormParams } from './form.js';
import type { Grant } from './grants/grant.js';
import { grants } from './grants/index.js';
import { noStore, sendJson } from '../http/respond.js';
import { oauthRoute, type OAuthHandler } from './route.js';
import { grantScopes, MANAGEMENT_AUD_SCOPE, parseScope, requestedProjects, type GrantedScope } from './scopes.js';

const SCOPE_MISSING = `scope missing: request at least one scope; to call the management API, request openid ${MANAGEMENT_AUD_SCOPE}`;

/** What the steps learn about one token request, filled in as it goes. */
interface TokenRequest {
  req: IncomingMessage;
  res: ServerResponse;
  params?: FormParams;
  client?: AuthenticatedClient;
  grant?: Grant;
  granted?: GrantedScope;
}

type Step = (t: TokenRequest) => void | Promise<void>;

/** Project audiences one token may hold. */
const MAX_PROJECT_AUDIENCES = 10;
const NO_PROJECTS: ReadonlySet<string> = new Set();
/** JSON characters of roles a JWT may embed, leaving room under the longest token read back (4096). */
const MAX_EMBEDDED_ROLES_LENGTH = 1500;

/** Which of the project ids are projects of the organization. */
async function ownProjects(sql: Sql, orgId: string, projectIds: readonly string[]): Promise<Set<string>> {
  const rows = await sql.all<{ id: string }>(`SELECT id FROM projects WHERE org_id = ? AND id IN (${projectIds.map(() => '?').join(', ')})`, [
    orgId,
    ...projectIds,
  ]);
  return new Set(rows.map((r) => r.id));
}

/**
 * POST /oauth/v2/token as a pipeline of small named steps (node-oidc-provider lib/actions/token.js).
 * The order matters: nothing about grants or scopes is said to a client that has not authenticated.
 */
export function tokenEndpoint(ctx: AppContext): OAuthHandler {
  const authenticate = clientAuthenticator(ctx);
  const byAssertion = assertionAuthenticator(ctx);
  const managementAudience = ctx.tokens.managementAudience;

  const steps: Step[] = [
    function noCache(t) {
      noStore(t.res);
    },
    async function parseBody(t) {
      t.params = await readForm(t.req);
    },
    async function authenticateClient(t) {
      // The JWT profile's assertion is the credential; client authentication beside it must name the same user.
      if (t.params!.get('grant_type') === JWT_BEARER_GRANT) {
        const subject = await byAssertion(t.req, t.params!.get('assertion'), 'grant');
        if (presentsClientAuthentication(t.req, t.params!) && (await authenticate(t.req, t.params!)).userId !== subject.userId) {
          throw new InvalidGrant('the assertion is not about the authenticated client');
        }
        t.client = subject;
      } else {
        t.client = await authenticate(t.req, t.params!);
      }
    },
    function checkGrantType(t) {
      const grantType = t.params!.get('grant_type');
      if (!grantType) throw new InvalidRequest('grant_type missing');
      t.grant = grants.get(grantType);
      if (!t.grant)
        throw new UnsupportedGrantType(`grant_type ${JSON.stringify(grantType.slice(0, 64))} is not supported; use client_credentials or ${JWT_BEARER_GRANT}`);
    },
    function validateScope(t) {
      if (!t.grant!.parameters.has('scope')) return;
      const scope = t.params!.get('scope');
      // ZITADEL's answer; the text names what to ask for, since the canonical examples of
      // requests-oauthlib and Go's x/oauth2 send no scope at all.
      if (!scope?.trim()) throw new InvalidRequest(SCOPE_MISSING);
      const requested = parseScope(scope);
      const projectIds = requestedProjects(requested);
      // Most requests name no project and no role: they go on without a read.
      if (!projectIds.length && !asksForRoles(requested)) {
        t.granted = grantScopes(requested, t.client!, managementAudience, NO_PROJECTS);
        return;
      }
      return withProjects(t, requested, projectIds);
    },
  ];

  /** Project audiences are checked against the client's organization; role scopes are kept only for roles granted in them. */
  async function withProjects(t: TokenRequest, requested: string[], projectIds: string[]): Promise<void> {
    if (projectIds.length > MAX_PROJECT_AUDIENCES) throw new InvalidScope(`at most ${MAX_PROJECT_AUDIENCES} project audiences in one token`);
    const own = projectIds.length ? await ownProjects(ctx.storage, t.client!.orgId, projectIds) : NO_PROJECTS;
    const granted = grantScopes(requested, t.client!, managementAudience, own);
    const roles = await grantedRoles(ctx.storage, t.client!.userId, granted.projects, granted.scope);
    // A JWT carries them, and one longer than any token this server reads back would be issued dead.
    if (roles && t.client!.accessTokenType === 'ACCESS_TOKEN_TYPE_JWT' && JSON.stringify(roles).length > MAX_EMBEDDED_ROLES_LENGTH) {
      throw new InvalidScope('the granted roles are too many to embed in a JWT access token: ask for fewer role scopes');
    }
    t.granted = { ...granted, scope: keepGrantedRoleScopes(granted.scope, roles), roles };
  }

  return oauthRoute(ctx.logger, async (req, res) => {
    const t: TokenRequest = { req, res };
    for (const step of steps) {
      // Only parseBody and authenticateClient wait for I/O; the others run without a trip through the microtask queue.
      const pending = step(t);
      if (pending) await pending;
    }
    const body = await t.grant!.handler({
      ctx,
      client: t.client!,
      params: t.params!,
      granted: t.granted ?? { scope: [], aud: [t.client!.clientId], projects: [] },
    });
    sendJson(res, 200, body);
    ctx.metrics.tokenIssued(t.client!.accessTokenType === 'ACCESS_TOKEN_TYPE_JWT' ? 'jwt' : 'bearer', t.grant!.metricsLabel);
  });
}
