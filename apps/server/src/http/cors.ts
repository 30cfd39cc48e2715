import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = 'Authorization, Content-Type, x-zitadel-orgid';

/**
 * CORS for the OAuth and management APIs, off unless TESSERA_CORS_ORIGINS lists origins. Cross-origin
 * callers use Bearer tokens: credentials (the console's cookie) are never allowed cross-origin.
 */
export function cors(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!allowed.size || !origin || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

export const CORS_PATHS = ['/oauth/v2', '/management/v1', '/oidc/v1', '/.well-known'];
