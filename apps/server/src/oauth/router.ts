import { Router } from 'express';
import type { AppContext } from '../context.js';
import { oauthAccessLog } from './access-log.js';
import { discoveryEndpoint, keysEndpoint } from './discovery.js';
import { MethodNotAllowed, NoSuchEndpoint, sendOAuthError } from './errors.js';
import { introspectionEndpoint } from './introspect.js';
import { revocationEndpoint } from './revoke.js';
import { tokenEndpoint } from './token-endpoint.js';
import { userinfoEndpoint } from './userinfo.js';

/**
 * /oauth/v2/*, /.well-known/*, /oidc/v1/*: the OAuth boundary. Mounted first, before the request
 * logger, sessions and body parsers: it logs its own requests, every route reads its own small
 * body, and every answer is in RFC 6749's shape.
 */
export function oauthRouter(ctx: AppContext): Router {
  const r = Router();
  const only = (allow: string) => {
    const err = new MethodNotAllowed(allow);
    return (_req: unknown, res: Parameters<typeof sendOAuthError>[0]) => sendOAuthError(res, err);
  };

  r.use(['/oauth/v2', '/oidc/v1', '/.well-known'], oauthAccessLog(ctx.logger));
  r.post('/oauth/v2/token', tokenEndpoint(ctx));
  r.all('/oauth/v2/token', only('POST'));
  r.post('/oauth/v2/introspect', introspectionEndpoint(ctx));
  r.all('/oauth/v2/introspect', only('POST'));
  r.post('/oauth/v2/revoke', revocationEndpoint(ctx));
  r.all('/oauth/v2/revoke', only('POST'));
  r.get('/oauth/v2/keys', keysEndpoint(ctx));
  r.all('/oauth/v2/keys', only('GET'));
  r.get('/.well-known/openid-configuration', discoveryEndpoint(ctx));
  r.all('/.well-known/openid-configuration', only('GET'));
  const userinfo = userinfoEndpoint(ctx);
  r.get('/oidc/v1/userinfo', userinfo);
  r.post('/oidc/v1/userinfo', userinfo);
  r.all('/oidc/v1/userinfo', only('GET, POST'));
  r.use(['/oauth/v2', '/oidc/v1'], (_req, res) => sendOAuthError(res, new NoSuchEndpoint('no such endpoint')));
  return r;
}

