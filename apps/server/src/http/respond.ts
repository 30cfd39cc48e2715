import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

/** RFC 6749 5.1: token responses, and anything else carrying a credential, must not be cached. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

export function noStore(res: ServerResponse): void {
  res.setHeader('Cache-Control', NO_STORE['Cache-Control']);
  res.setHeader('Pragma', NO_STORE.Pragma);
}

/**
 * Writes a JSON response straight to Node's response, HTTP/1.1 or HTTP/2: the paths answered
 * before Express (OAuth, Bearer calls, RPCs) are hot, and Express's res.json adds work (etag,
 * content negotiation) these responses do not need.
 */
export function sendJson(res: ServerResponse | Http2ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  (res as ServerResponse).writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}
