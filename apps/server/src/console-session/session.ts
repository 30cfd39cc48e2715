import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CSRF_HEADER } from '@tessera/contracts';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { AppContext } from '../context.js';
import { unauthenticated, permissionDenied } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { sessionKey } from '../storage/session-store.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    csrfToken: string;
    /** Epoch ms of sign-in: the absolute timeout counts from here. */
    signedInAt: number;
  }
}

export const SESSION_COOKIE = 'tessera.sid';

/**
 * express-session over SQLite. Requests that carry a Bearer token skip it entirely: machines
 * never use cookies, and the token endpoint and API hot paths should not pay for sessions.
 */
export function sessionMiddleware(ctx: AppContext): RequestHandler {
  const secure = ctx.config.issuer.startsWith('https:');
  const mw = session({
    name: SESSION_COOKIE,
    // The current key signs, every kept one verifies; the array follows rotations in place.
    secret: ctx.sessionSecrets,
    store: ctx.sessionStore,
    resave: false,
    saveUninitialized: false,
    rolling: true, // every request moves the idle deadline
    cookie: { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: ctx.config.sessionIdleMs },
  });
  // express-session sends a Secure cookie only over a connection it believes is TLS, and otherwise
  // no cookie at all (sign-in would answer 200 and sign no one in). Behind a TLS terminator the
  // connection Tessera sees is plain HTTP, so the issuer decides alone: an https issuer means the
  // browser speaks TLS. No forwarded header, which a client could write, takes part.
  const run: RequestHandler = secure
    ? (req, res, next) => {
        Object.defineProperty(req, 'secure', { value: true });
        mw(req, res, next);
      }
    : mw;
  return (req, res, next) => {
    if (req.headers.authorization || !req.headers.cookie?.includes(`${SESSION_COOKIE}=`)) {
      if (req.path.startsWith('/api/session') && req.method === 'POST') return run(req, res, next);
      return next();
    }
    run(req, res, (err?: unknown) => {
      if (err) return next(err);
      const s = req.session;
      if (s?.signedInAt && Date.now() - s.signedInAt > ctx.config.sessionMaxMs) {
        return s.destroy(() => next());
      }
      next();
    });
  };
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** State-changing cookie requests must echo the session's CSRF token in a header a cross-site form cannot set. */
export function checkCsrf(req: Request): void {
  const expected = req.session?.csrfToken;
  const got = req.get(CSRF_HEADER);
  if (!expected || !got) throw permissionDenied('missing CSRF token');
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw permissionDenied('invalid CSRF token');
}

interface UserRow {
  id: string;
  org_id: string;
  type: 'human' | 'machine';
  state: string;
  password_change_required: number;
}

/** The operator behind a console session, or undefined when there is none (or it no longer counts). */
export async function sessionPrincipal(ctx: AppContext, req: Request): Promise<Principal | undefined> {
  const userId = req.session?.userId;
  if (!userId) return undefined;
  const user = await ctx.storage.one<UserRow>("SELECT id, org_id, type, state, password_change_required FROM users WHERE id = ? AND type = 'human'", [userId]);
  if (!user || user.state !== 'USER_STATE_ACTIVE') return undefined;
  return {
    userId: user.id,
    orgId: user.org_id,
    userType: user.type,
    instanceOwner: await ctx.authorizer.isInstanceOwner(user.id),
    via: 'session',
    ...(user.password_change_required ? { passwordChangeRequired: true } : {}),
    sessionKey: sessionKey(req.sessionID),
  };
}

export async function requireSession(ctx: AppContext, req: Request): Promise<Principal> {
  const p = await sessionPrincipal(ctx, req);
  if (!p) throw unauthenticated('not signed in', 'SESSION-NONE');
  return p;
}
