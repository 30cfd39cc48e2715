import type { AppContext } from '../context.js';
import { audienceProjects, grantedRoles, ROLES_CLAIM } from '../domain/user-grants/granted-roles.js';
import { InvalidToken, sendBearerChallenge } from './errors.js';
import { noStore, sendJson } from '../http/respond.js';
import { oauthRoute, type OAuthHandler } from './route.js';

const BEARER_SCHEME = /^Bearer(?: |$)/i;
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

interface ProfileRow {
  username: string;
  display_name: string;
  changed_at: string;
  primary_domain: string;
}

/**
 * GET/POST /oidc/v1/userinfo (OpenID Connect Core 5.3): `sub`, and with `profile` the name,
 * preferred_username (the login name, as ZITADEL) and updated_at; with a role scope, the granted roles of the
 * audience's projects (urn:zitadel:iam:org:project:roles). Failures follow RFC 6750 3.1:
 * without a Bearer token, a bare Bearer challenge; with a bad one, a challenge that names the error.
 */
export function userinfoEndpoint(ctx: AppContext): OAuthHandler {
  return oauthRoute(ctx.logger, async (req, res) => {
    noStore(res);
    const header = req.headers.authorization;
    if (header === undefined || !BEARER_SCHEME.test(header)) return sendBearerChallenge(res);
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new InvalidToken('authorization header must be "Bearer <token>"');
    const verified = await ctx.tokens.verify(token);
    if (!verified) throw new InvalidToken('access token is invalid, expired or revoked');
    const row = await ctx.storage.one<ProfileRow>(
      'SELECT u.username, u.display_name, u.changed_at, o.primary_domain FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?',
      [verified.userId],
    );
    if (!row) throw new InvalidToken('access token is invalid, expired or revoked');
    const body: Record<string, unknown> = { sub: verified.userId };
    if (verified.scope.includes('profile')) {
      body.name = row.display_name;
      body.preferred_username = `${row.username}@${row.primary_domain}`;
      body.updated_at = Math.floor(Date.parse(row.changed_at) / 1000);
    }
    // Read as granted now: a removed grant is gone from the next answer.
    const roles = await grantedRoles(ctx.storage, verified.userId, audienceProjects(verified.aud, verified.clientId), verified.scope);
    if (roles) body[ROLES_CLAIM] = roles;
    sendJson(res, 200, body);
  });
}
