import type { AppContext } from '../context.js';
import type { VerifiedAccessToken } from '../domain/access-token.js';
import { audienceProjects, grantedRoles, ROLES_CLAIM } from '../domain/user-grants/granted-roles.js';
import { introspectionClientAuthenticator } from './client-auth.js';
import { InvalidRequest } from './errors.js';
import { readForm } from './form.js';
import { noStore, sendJson } from '../http/respond.js';
import { oauthRoute, type OAuthHandler } from './route.js';

/**
 * POST /oauth/v2/introspect (RFC 7662). Two kinds of client may ask:
 * - an API application (its client_id and secret): about any token whose audience holds its project;
 * - a service user (its own credentials): about its own tokens, with or without the management audience.
 * Anything else, whether unknown, expired, revoked, another client's or another project's, is the
 * same {"active":false}, so introspection is no token oracle. Role claims are read from the grants
 * as they are now, so a removed grant is gone from the next answer.
 */
export function introspectionEndpoint(ctx: AppContext): OAuthHandler {
  const authenticate = introspectionClientAuthenticator(ctx);
  return oauthRoute(ctx.logger, async (req, res) => {
    noStore(res);
    const params = await readForm(req);
    const client = await authenticate(req, params);
    const token = params.get('token');
    if (!token) throw new InvalidRequest('token missing');
    const verified = await ctx.tokens.verify(token);
    const allowed = verified !== null && (client.kind === 'app' ? verified.aud.includes(client.app.projectId) : verified.userId === client.client.userId);
    if (!allowed) return sendJson(res, 200, { active: false });
    sendJson(res, 200, await activeAnswer(ctx, verified));
  });
}

async function activeAnswer(ctx: AppContext, verified: VerifiedAccessToken): Promise<Record<string, unknown>> {
  const roles = await grantedRoles(ctx.storage, verified.userId, audienceProjects(verified.aud, verified.clientId), verified.scope);
  return {
    active: true,
    scope: verified.scope.join(' '),
    client_id: verified.clientId,
    username: verified.clientId,
    token_type: 'Bearer',
    exp: verified.exp,
    iat: verified.iat,
    nbf: verified.iat,
    sub: verified.userId,
    aud: verified.aud,
    iss: ctx.config.issuer,
    jti: verified.jti,
    ...(roles ? { [ROLES_CLAIM]: roles } : {}),
  };
}
