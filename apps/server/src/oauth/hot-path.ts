import type { IncomingMessage, ServerResponse } from 'node:http';
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
  const log = oauthAccessLog(ctx.logger, ctx.metrics);
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
