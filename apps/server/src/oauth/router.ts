import { Router } from 'express';
import type { AppContext } from '../context.js';
import { oauthAccessLog } from './access-log.js';
import { discoveryEndpoint, keysEndpoint, oauthMetadataEndpoint } from './discovery.js';
import { MethodNotAllowed, NoSuchEndpoint, sendOAuthError } from './errors.js';
import type { HotPath } from './hot-path.js';

/**
 * /oauth/v2/*, /.well-known/*, /oidc/v1/*: the OAuth boundary, mounted before the request logger,
 * sessions and body parsers. The hot endpoints are normally answered before Express (see
 * hot-path.ts); they are routed here too, so this router is complete on its own. Every answer is
 * in RFC 6749's shape, and every route reads its own small body.
 */
export function oauthRouter(ctx: AppContext, hot: HotPath): Router {
  // Paths match exactly, as on the hot path: case-insensitive matching answered a POST to
  // /oauth/v2/TOKEN with "405, accepts POST only".
  const r = Router({ caseSensitive: true, strict: true });
  const only = (allow: string) => {
    const err = new MethodNotAllowed(allow);
    return (_req: unknown, res: Parameters<typeof sendOAuthError>[0]) => sendOAuthError(res, err);
  };

  const log = oauthAccessLog(ctx.logger, ctx.metrics);
  r.use((req, res, next) => {
    if (!hot(req, res)) next();
  });
  r.use(['/oauth/v2', '/oidc/v1', '/.well-known'], (req, res, next) => {
    log(req, res, req.originalUrl.split('?')[0]!);
    next();
  });
  r.all('/oauth/v2/token', only('POST'));
  r.all('/oauth/v2/introspect', only('POST'));
  r.all('/oauth/v2/revoke', only('POST'));
  r.get('/oauth/v2/keys', keysEndpoint(ctx));
  r.all('/oauth/v2/keys', only('GET'));
  r.get('/.well-known/openid-configuration', discoveryEndpoint(ctx));
  r.all('/.well-known/openid-configuration', only('GET'));
  r.get('/.well-known/oauth-authorization-server', oauthMetadataEndpoint(ctx));
  r.all('/.well-known/oauth-authorization-server', only('GET'));
  r.all('/oidc/v1/userinfo', only('GET, POST'));
  r.use(['/oauth/v2', '/oidc/v1', '/.well-known'], (_req, res) => sendOAuthError(res, new NoSuchEndpoint('no such endpoint')));
  return r;
}
