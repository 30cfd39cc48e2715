import type { Grant } from './grant.js';

/**
 * RFC 6749 4.4: the service user asks for a token for itself. No refresh token (4.4.3), and no
 * id_token: there is no end-user for one to describe.
 */
export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  metricsLabel: 'client_credentials',
  parameters: new Set(['scope']),
  async handler({ ctx, client, granted }) {
    const issued = await ctx.tokens.issue({
      userId: client.userId,
      clientId: client.clientId,
      orgId: client.orgId,
      tokenType: client.accessTokenType,
      scope: granted.scope,
      aud: granted.aud,
      roles: granted.roles,
      generation: client.tokenGeneration,
    });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: granted.scope.join(' ') };
  },
};
