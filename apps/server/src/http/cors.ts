import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

// With what gRPC-Web and Connect clients in a browser send, and the status they must be able to read.
const ALLOWED_HEADERS = 'Authorization, Content-Type, x-zitadel-orgid, x-grpc-web, x-user-agent, grpc-timeout, connect-protocol-version, connect-timeout-ms';
const EXPOSED_HEADERS = 'grpc-status, grpc-message, grpc-status-details-bin';
const CORS_PATHS = ['/oauth/v2/', '/management/v1/', '/admin/v1/', '/auth/v1/', '/oidc/v1/', '/.well-known/', '/zitadel.'];

/**
 * Why a configured origin can never match a browser's Origin header (scheme://host[:port], the
 * serialization of RFC 6454 6.1), or undefined when it is one. Written so the operator can fix it.
 */
function originProblem(value: string): string | undefined {
  if (value === '*') return '"*" is not allowed: list each origin that may call the APIs from a browser';
  const notAnOrigin = `"${value}" is not an origin: write scheme://host[:port], e.g. https://app.example.com`;
  // "localhost:5173" parses as a URL with the scheme "localhost:", and "null" is what sandboxed
  // documents send: neither names a site.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return notAnOrigin;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return notAnOrigin;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${value}" must be http or https`;
  if (url.username || url.password) return `"${value}" has a user name or password: write "${url.origin}"`;
  if (url.search || url.hash || value.includes('?') || value.includes('#')) return `"${value}" has a query or fragment: write "${url.origin}"`;
  if (url.pathname !== '/' || value.endsWith('/')) {
    return `"${value}" has a path: an origin is scheme://host[:port] only, so write "${url.origin}"`;
  }
  // Lower case, no default port: otherwise it would silently never equal what browsers send.
  if (url.origin !== value) return `"${value}" is not how browsers send it: write "${url.origin}"`;
  return undefined;
}

/** TESSERA_CORS_ORIGINS: comma-separated origins, each checked at start (every problem listed). */
export const corsOriginsSchema = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .superRefine((origins, ctx) => {
    for (const o of origins) {
      const problem = originProblem(o);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const isCorsPath = (url: string) => CORS_PATHS.some((p) => url.startsWith(p));

/**
 * CORS for the OAuth endpoints and ZITADEL's APIs (REST, gRPC-Web and Connect), off unless TESSERA_CORS_ORIGINS lists origins.
 * Cross-origin callers use Bearer tokens: credentials (the console's cookie) are never allowed
 * cross-origin. Runs at the front door, before the OAuth hot path and Express alike; answers true
 * when it has answered a preflight itself.
 *
 * Every response on these paths says Vary: Origin, whatever the Origin (allowed, another, or
 * none): discovery and JWKS are publicly cacheable, and a shared cache must not hand the answer
 * it stored for one origin (with or without Access-Control-Allow-Origin) to another (Fetch
 * standard, "CORS protocol and HTTP caches").
 */
export function corsGate(origins: string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  return (req, res) => {
    if (!isCorsPath(req.url ?? '')) return false;
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 204;
    res.end();
    return true;
  };
}
