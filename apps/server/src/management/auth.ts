import type { RequestHandler } from 'express';
import { checkCsrf, sessionPrincipal } from '../console-session/session.js';
import type { AppContext } from '../context.js';
import { unauthenticated } from '../domain/errors.js';
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

/**
 * One API, two ways in: a machine's Bearer token or an operator's console session (plus its
 * CSRF header on writes). Both end as the same Principal.
 */
export function authenticate(ctx: AppContext): RequestHandler {
  const userOrg = ctx.db.prepare("SELECT org_id FROM users WHERE id = ? AND state = 'USER_STATE_ACTIVE'").pluck();
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      if (!token) throw unauthenticated('authorization header must be "Bearer <token>"', 'AUTH-7fs1e');
      const verified = await ctx.accessTokens.verify(token);
      if (!verified) throw unauthenticated('token is invalid, expired or revoked', 'AUTH-7fs1e');
      if (!verified.management) throw unauthenticated('token is missing the management API audience', 'AUTH-aud0m');
      const orgId = userOrg.get(verified.userId) as string | undefined;
      if (!orgId) throw unauthenticated('token is invalid, expired or revoked', 'AUTH-7fs1e');
      req.principal = {
        userId: verified.userId,
        orgId,
        userType: 'machine',
        instanceOwner: ctx.authorizer.isInstanceOwner(verified.userId),
        via: 'token',
      };
      return next();
    }
    const principal = sessionPrincipal(ctx, req);
    if (!principal) throw unauthenticated('authentication required: send a Bearer token or sign in', 'AUTH-missing');
    if (req.method !== 'GET' && req.method !== 'HEAD') checkCsrf(req);
    req.principal = principal;
    next();
  };
}
