import type { RequestHandler } from 'express';
import { checkCsrf, sessionPrincipal } from '../console-session/session.js';
import type { AppContext } from '../context.js';
import { unauthenticated } from '../domain/errors.js';
import { isPersonalAccessToken } from '../domain/pats/pats.js';
import type { Principal } from '../domain/principal.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The organization of an active user; for verifiers that do not say (AccessTokens does). */
async function activeUserOrg(ctx: AppContext, userId: string): Promise<string | undefined> {
  return (await ctx.storage.one<{ org_id: string }>("SELECT org_id FROM users WHERE id = ? AND state = 'USER_STATE_ACTIVE'", [userId]))?.org_id;
}

/**
 * The caller behind an Authorization header: a valid access token with the management API's
 * audience, of a service user that exists and is active (AccessTokens.verify reads its state on
 * every call). The one Bearer check, whether Express or the Bearer path (bearer-path.ts) serves
 * the request.
 */
export async function bearerPrincipal(ctx: AppContext, header: string): Promise<Principal> {
  const token = BEARER.exec(header)?.[1];
  if (!token) throw unauthenticated('authorization header must be "Bearer <token>"', 'AUTH-7fs1e');
  if (isPersonalAccessToken(token)) return patPrincipal(ctx, token);
  const verified = await ctx.accessTokens.verify(token);
  if (!verified) throw unauthenticated('token is invalid, expired or revoked', 'AUTH-7fs1e');
  if (!verified.management) throw unauthenticated('token is missing the management API audience', 'AUTH-aud0m');
  const userId = verified.userId;
  const orgId = verified.orgId ?? (await activeUserOrg(ctx, userId));
  if (!orgId) throw unauthenticated('token is invalid, expired or revoked', 'AUTH-7fs1e');
  // A plain object: a getter here would give every request's principal its own accessor, which
  // V8 keeps in the old generation (measured: 350 bytes a request promoted, and RSS growing).
  return { userId, orgId, userType: 'machine', instanceOwner: await ctx.authorizer.isInstanceOwner(userId), via: 'token' };
}

/** A personal access token stands for its service user, with the management API's audience, as ZITADEL's do. */
async function patPrincipal(ctx: AppContext, token: string): Promise<Principal> {
  await ctx.instanceKeys.fresh(); // a token hashed under a key made on another node a moment ago
  const holder = await ctx.pats.verify(token);
  if (!holder) throw unauthenticated('token is invalid, expired or revoked', 'AUTH-7fs1e');
  return { userId: holder.userId, orgId: holder.orgId, userType: 'machine', instanceOwner: await ctx.authorizer.isInstanceOwner(holder.userId), via: 'token' };
}

/**
 * One API, two ways in: a machine's Bearer token or an operator's console session (plus its
 * CSRF header on writes). Both end as the same Principal.
 */
export function authenticate(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      req.principal = await bearerPrincipal(ctx, header);
      return next();
    }
    const principal = await sessionPrincipal(ctx, req);
    if (!principal) throw unauthenticated('authentication required: send a Bearer token or sign in', 'AUTH-missing');
    if (req.method !== 'GET' && req.method !== 'HEAD') checkCsrf(req);
    req.principal = principal;
    next();
  };
}
