import { expect } from 'vitest';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestListener } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  /** Microseconds from handing the request to the app until it ended the response. */
  micros: number;
}

/**
 * Hands a request to the app's own front door (createApp's listener) without a socket, and times
 * it. What runs is the real request path of the OAuth endpoints (routing, the form reader, client
 * authentication, the error answer); only the network is missing, and with it the tens of
 * microseconds of noise per request that would drown a difference of one HMAC.
 * Enough of IncomingMessage and ServerResponse for the OAuth hot path, which uses plain Node APIs.
 */
export function inMemoryRequest(app: RequestListener, method: string, url: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const req = Object.assign(new EventEmitter(), {
      method,
      url,
      headers: { ...headers, 'content-length': String(body.length) },
      socket: { remoteAddress: '127.0.0.1' },
      pause() {},
    });
    const answer: Answer = { status: 0, headers: {}, body: '', micros: 0 };
    let start = 0n;
    const res = {
      headersSent: false,
      setHeader(name: string, value: unknown) {
        answer.headers[name.toLowerCase()] = value;
      },
      writeHead(status: number, h: Record<string, unknown>) {
        answer.status = status;
        for (const [k, v] of Object.entries(h)) answer.headers[k.toLowerCase()] = v;
        this.headersSent = true;
      },
      end(chunk?: string) {
        answer.micros = Number(process.hrtime.bigint() - start) / 1000;
        answer.body = chunk ?? '';
        resolve(answer);
      },
    };
    start = process.hrtime.bigint();
    app(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    req.emit('data', body);
    req.emit('end');
  });
}

/**
 * A timer of token requests for the timing tests: each form body is posted from an address of its own
 * (the app must trust X-Forwarded-For), so the failure throttles never answer in place of the code
 * measured; each answer must have `status`. Resolves with the request's microseconds.
 */
export function timedTokenRequests(app: RequestListener, status: number): (body: Buffer) => Promise<number> {
  let n = 0;
  return async (body) => {
    const from = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n++ & 255}`;
    const a = await inMemoryRequest(app, 'POST', '/oauth/v2/token', { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from }, body);
    expect(a.status).toBe(status);
    return a.micros;
  };
}
