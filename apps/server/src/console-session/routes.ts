import { loginRequestSchema, type Whoami } from '@tessera/contracts';
import express, { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { DomainError, unauthenticated } from '../domain/errors.js';
import { passwordHashes, verifyPassword } from '../domain/passwords.js';
import type { Principal } from '../domain/principal.js';
import { declaredBodyLimit } from '../http/body-limit.js';
import { gatewayErrorHandler, gatewayNotFound } from '../http/gateway-errors.js';
import { throttleBucket } from '../security/client-address.js';
import { checkCsrf, newCsrfToken, requireSession, SESSION_COOKIE } from './session.js';

// A fixed, valid hash to verify against when the user does not exist, so timing does not tell.
const DUMMY_HASH =
  'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

async function whoami(ctx: AppContext, req: Request, principal: Promise<Principal>): Promise<Whoami> {
  const p = await principal;
  const row = (await ctx.storage.one<{ username: string; display_name: string; org_name: string }>(
    'SELECT u.username, u.display_name, o.name AS org_name FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?',
    [p.userId],
  ))!;
  return {
    userId: p.userId,
    userName: row.username,
    displayName: row.display_name,
    orgId: p.orgId,
    orgName: row.org_name,
    instanceOwner: p.instanceOwner,
    csrfToken: req.session.csrfToken!,
  };
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}
function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** The console's own surface: sign in, sign out, who am I. */
export function consoleSessionRouter(ctx: AppContext): Router {
  const r = Router();
  r.use(declaredBodyLimit(8 * 1024), express.json({ limit: 8 * 1024 }));

  r.get('/', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await whoami(ctx, req, requireSession(ctx, req)));
  });

  r.post('/', async (req, res) => {
    // JSON only: a cross-site HTML form cannot send application/json, which also shields sign-in from CSRF.
    if (!req.is('application/json')) {
      throw new DomainError('invalid_argument', 'SESSION-CONTENT-TYPE', 'sign-in expects application/json');
    }
    const { username, password } = loginRequestSchema.parse(req.body);
    const ip = throttleBucket(req.ip ?? 'unknown');
    const pairKey = `${ip}|${username.toLowerCase()}`;
    // Checked and counted in one step: no other request can slip in between (security/attempt-gate.ts).
    // The attempt is counted before its hash starts (about a second of scrypt): counted after it,
    // every request arriving meanwhile would pass the check too.
    const admission = await ctx.loginGate.enter(pairKey, ip);
    if (typeof admission === 'number') {
      ctx.metrics.throttled('signin');
      res.set('Retry-After', String(admission));
      throw new DomainError('resource_exhausted', 'SESSION-THROTTLED', `too many failed sign-ins; try again in ${admission} s`);
    }
    // A request the hash queue refuses is never checked, so it is not counted either.
    const place = passwordHashes.enter();
    if (!place) {
      await admission.withdraw();
      res.set('Retry-After', String(passwordHashes.retryAfterSeconds()));
      throw new DomainError('resource_exhausted', 'SESSION-BUSY', 'too many sign-ins are being checked right now; try again shortly');
    }
    let user: { id: string; password_hash: string; state: string } | undefined;
    try {
      // No username holds NUL, and PostgreSQL's text cannot: such a name finds no one, as any unknown one.
      user = username.includes('\u0000') ? undefined : await ctx.storage.one("SELECT id, password_hash, state FROM users WHERE lower(username) = lower(?) AND type = 'human'", [username]);
    } catch (err) {
      void place.run(async () => undefined); // give the place back
      throw err;
    }

    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH, place);
    if (!user || !ok || user.state !== 'USER_STATE_ACTIVE') {
      throw unauthenticated('username or password is incorrect', 'SESSION-INVALID-CREDENTIALS');
    }
    // A success is not a failure: it gives back its count at the address and clears its own pair.
    await admission.succeeded();
    await regenerate(req); // a new id at sign-in: no session fixation
    req.session.userId = user.id;
    req.session.csrfToken = newCsrfToken();
    req.session.signedInAt = Date.now();
    await save(req);
    res.set('Cache-Control', 'no-store').json(await whoami(ctx, req, requireSession(ctx, req)));
  });

  r.delete('/', async (req, res, next) => {
    await requireSession(ctx, req);
    checkCsrf(req);
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).end();
    });
  });

  r.use(gatewayNotFound);
  r.use(gatewayErrorHandler(ctx.logger));
  return r;
}
