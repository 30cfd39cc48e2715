import type { AppContext } from '../context.js';
import { ownTokenReader } from './own-token.js';
import { noStore, sendJson } from '../http/respond.js';
import { oauthRoute, type OAuthHandler } from './route.js';

/**
 * POST /oauth/v2/revoke (RFC 7009). A service user may revoke its own tokens, which ZITADEL does
 * not allow (issue #8973). An unknown, expired or already revoked token is 200 as the RFC asks;
 * so is another client's token, which stays valid: the answer must not tell whose a token is.
 * token_type_hint is ignored (2.1 allows it): only access tokens exist here. Past the revocation
 * limits every token the client holds is revoked instead; the answer is still the same, so the
 * server's log says it. The answer is `{}` as JSON, as ZITADEL's: 2.2 defines no content, and
 * clients that parse every answer as JSON (simple-oauth2) fail on an empty body.
 */
export function revocationEndpoint(ctx: AppContext): OAuthHandler {
  const readOwnToken = ownTokenReader(ctx);
  return oauthRoute(ctx.logger, async (req, res) => {
    noStore(res);
    const { verified } = await readOwnToken(req);
    if (verified && (await ctx.tokens.revoke(verified)) === 'all') {
      ctx.logger.warn(
        { userId: verified.userId, clientId: verified.clientId },
        'revocation limit reached: every token the client was issued so far is revoked',
      );
    }
    sendJson(res, 200, {});
  });
}
