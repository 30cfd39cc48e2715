import type { IncomingMessage, ServerResponse } from 'node:http';

/** Healthz of ZITADEL's management, admin and auth APIs: every ZITADEL client may call them, with or without a token. */
const PATHS = new Set(['/management/v1/healthz', '/admin/v1/healthz', '/auth/v1/healthz']);

/** Answers GET {api}/healthz as ZITADEL does (200, an empty object); false for any other request. */
export function serviceHealthz(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  if (!PATHS.has(q < 0 ? url : url.slice(0, q))) return false;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : '{}');
  return true;
}
