import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_HEADERS = 'Authorization, Content-Type, x-zitadel-orgid';
const CORS_PATHS = ['/oauth/v2/', '/management/v1/', '/oidc/v1/', '/.well-known/'];

/**
 * CORS for the OAuth and management APIs, off unless TESSERA_CORS_ORIGINS lists origins. Cross-origin
 * callers use Bearer tokens: credentials (the console's cookie) are never allowed cross-origin.
 * Runs at the front door, before the OAuth hot path and Express alike; answers true when it has
 * answered a preflight itself.
 */
export function corsGate(origins: string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  return (req, res) => {
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin) || !CORS_PATHS.some((p) => req.url?.startsWith(p))) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 204;
    res.end();
    return true;
  };
}
