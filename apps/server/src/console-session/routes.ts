import { loginRequestSchema, type Whoami } from '@tessera/contracts';
import express, { Router, type Request } from 'express';
import type { AppContext } from '../context.js';
import { DomainError, unauthenticated } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { declaredBodyLimit } from '../http/body-limit.js';
import { gatewayErrorHandler, gatewayNotFound } from '../http/gateway-errors.js';
import { throttleBucket } from '../security/client-address.js';
import { checkPassword } from './password-check.js';
import { checkCsrf, newCsrfToken, requireSession, SESSION_COOKIE } from './session.js';

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
    passwordChangeRequired: p.passwordChangeRequired ?? false,
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
    let user: { id: string; password_hash: string; state: string } | undefined;
    const ok = await checkPassword(ctx, throttleBucket(req.ip ?? 'unknown'), username, password, async () => {
      // No username holds NUL, and PostgreSQL's text cannot: such a name finds no one, as any unknown one.
      if (username.includes('\u0000')) return undefined;
      user = await ctx.storage.one("SELECT id, password_hash, state FROM users WHERE lower(username) = lower(?) AND type = 'human'", [username]);
      return user?.password_hash;
    });
    if (!user || !ok || user.state !== 'USER_STATE_ACTIVE') {
      throw unauthenticated('username or password is incorrect', 'SESSION-INVALID-CREDENTIALS');
    }
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
