import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context.js';
import { assertionAuthenticator, JWT_BEARER_GRANT } from './assertion-auth.js';
import { clientAuthenticator, presentsClientAuthentication, type AuthenticatedClient } from './client-auth.js';
import { InvalidGrant, InvalidRequest, UnsupportedGrantType } from './errors.js';
import { readForm, type FormParams } from './form.js';
import type { Grant } from './grants/grant.js';
import { grants } from './grants/index.js';
import { noStore, sendJson } from './respond.js';
import { oauthRoute, type OAuthHandler } from './route.js';
import { grantScopes, MANAGEMENT_AUD_SCOPE, parseScope, type GrantedScope } from './scopes.js';

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
      t.granted = grantScopes(parseScope(scope), t.client!, managementAudience);
    },
  ];

  return oauthRoute(ctx.logger, async (req, res) => {
    const t: TokenRequest = { req, res };
    for (const step of steps) {
      // Only parseBody and authenticateClient wait for I/O; the others run without a trip through the microtask queue.
      const pending = step(t);
      if (pending) await pending;
    }
    const body = await t.grant!.handler({ ctx, client: t.client!, params: t.params!, granted: t.granted ?? { scope: [], aud: [t.client!.clientId] } });
    sendJson(res, 200, body);
    ctx.metrics.tokenIssued(t.client!.accessTokenType === 'ACCESS_TOKEN_TYPE_JWT' ? 'jwt' : 'bearer', t.grant!.metricsLabel);
  });
}
