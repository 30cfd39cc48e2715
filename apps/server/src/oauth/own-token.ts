import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../context.js';
import type { VerifiedAccessToken } from '../domain/access-token.js';
import { clientAuthenticator, type AuthenticatedClient } from './client-auth.js';
import { InvalidRequest } from './errors.js';
import { readForm } from './form.js';

/**
 * What introspection (RFC 7662) and revocation (RFC 7009) both start with: the client authenticates,
 * names a token, and learns about it only if the token is its own. Anyone else's token, or one that
 * is unknown, expired or revoked, is `verified: null`, so neither endpoint is a token oracle.
 */
export function ownTokenReader(ctx: AppContext) {
  const authenticate = clientAuthenticator(ctx);
  return async (req: IncomingMessage): Promise<{ client: AuthenticatedClient; verified: VerifiedAccessToken | null }> => {
    const params = await readForm(req);
    const client = await authenticate(req, params);
    const token = params.get('token');
    if (!token) throw new InvalidRequest('token missing');
    const verified = await ctx.tokens.verify(token);
    return { client, verified: verified && verified.userId === client.userId ? verified : null };
  };
}
