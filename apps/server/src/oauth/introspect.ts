import type { AppContext } from '../context.js';
import { ownTokenReader } from './own-token.js';
import { noStore, sendJson } from './respond.js';
import { oauthRoute, type OAuthHandler } from './route.js';

/**
 * POST /oauth/v2/introspect (RFC 7662). A service user may introspect its own tokens with its own
 * credentials, with or without the management audience. Anything else, whether unknown, expired,
 * revoked or another client's, is the same {"active":false}, so introspection is no token oracle.
 */
export function introspectionEndpoint(ctx: AppContext): OAuthHandler {
  const readOwnToken = ownTokenReader(ctx);
  return oauthRoute(ctx.logger, async (req, res) => {
    noStore(res);
    const { client, verified } = await readOwnToken(req);
    if (!verified) return sendJson(res, 200, { active: false });
    sendJson(res, 200, {
      active: true,
      scope: verified.scope.join(' '),
      client_id: verified.clientId,
      username: client.clientId,
      token_type: 'Bearer',
      exp: verified.exp,
      iat: verified.iat,
      nbf: verified.iat,
      sub: verified.userId,
      aud: verified.aud,
      iss: ctx.config.issuer,
      jti: verified.jti,
    });
  });
}
