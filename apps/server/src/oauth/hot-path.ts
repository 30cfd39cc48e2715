import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { AppContext } from '../context.js';
import { oauthAccessLog } from './access-log.js';
import { introspectionEndpoint } from './introspect.js';
import { revocationEndpoint } from './revoke.js';
import type { OAuthHandler } from './route.js';
import { tokenEndpoint } from './token-endpoint.js';
import { userinfoEndpoint } from './userinfo.js';

/** Answers the request when it is one of the hot OAuth routes; false when it is not. */
export type HotPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The endpoints machines call on every job (token, introspection, revocation, userinfo), matched
 * by exact method and path. Everything else on the OAuth boundary (discovery, keys, 405s, 404s)
 * is ordinary Express routing in router.ts.
 */
export function oauthHotPath(ctx: AppContext): HotPath {
  const log = oauthAccessLog(ctx.logger);
  const routes = new Map<string, OAuthHandler>([
    ['POST /oauth/v2/token', tokenEndpoint(ctx)],
    ['POST /oauth/v2/introspect', introspectionEndpoint(ctx)],
    ['POST /oauth/v2/revoke', revocationEndpoint(ctx)],
  ]);
  const userinfo = userinfoEndpoint(ctx);
  routes.set('GET /oidc/v1/userinfo', userinfo);
  routes.set('POST /oidc/v1/userinfo', userinfo);

  return (req, res) => {
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const handler = routes.get(`${req.method} ${path}`);
    if (!handler) return false;
    log(req, res, path);
    handler(req, res);
    return true;
  };
}

/**
 * Serves the hot routes before Express touches the request. Express re-parents every request and
 * response onto its own prototypes before any middleware runs, and that alone measured as a third
 * of the token endpoint's throughput. Express's app function delegates to app.handle, so wrapping
 * it puts the hot path in front for every server built on this app (main.ts, tests, e2e).
 */
export function serveBeforeExpress(app: Express, hot: HotPath): void {
  const target = app as unknown as { handle: (req: IncomingMessage, res: ServerResponse, next?: unknown) => void };
  const expressHandle = target.handle.bind(app);
  target.handle = (req, res, next) => {
    if (!hot(req, res)) expressHandle(req, res, next);
  };
}
