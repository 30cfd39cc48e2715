import http, { type RequestListener } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { App } from '../../src/app.js';
import { frontDoor } from '../../src/http/front-door.js';
import { createTestApp, type TestApp } from './test-app.js';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/**
 * The app on a real socket at 127.0.0.1, so parallel requests really run side by side; createApp's
 * app behind the server's own front door (HTTP/1.1 and HTTP/2 on one port), any other listener on
 * plain HTTP/1.1.
 */
export async function listen(app: App | RequestListener): Promise<Listening> {
  if (!('http2' in app)) {
    const server = http.createServer(app);
    const { port } = await listening(server);
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }
  const door = frontDoor(app, app.http2);
  const { port } = await listening(door.server);
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => door.close(resolve)) };
}

/**
 * The app on a port taken before it is built, with TESSERA_ISSUER that port's URL: discovery's issuer
 * must be the URL real OAuth clients used. close() stops the server and removes the app's data.
 */
export async function appAtItsIssuer(): Promise<{ t: TestApp; issuer: string; close: () => Promise<void> }> {
  const server = http.createServer();
  const { port } = await listening(server);
  const issuer = `http://127.0.0.1:${port}`;
  const t = await createTestApp({ TESSERA_ISSUER: issuer });
  server.on('request', t.app);
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.cleanup();
  };
  return { t, issuer, close };
}

async function listening(server: Server): Promise<AddressInfo> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server.address() as AddressInfo;
}

export interface Answer {
  status: number;
  body: { code?: number; message?: string; details?: { id: string }[]; error?: string };
  retryAfter: string | null;
  setCookie: string | null;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Answer['body']) : {},
    retryAfter: res.headers.get('retry-after'),
    setCookie: res.headers.get('set-cookie'),
  };
}

/** POST /api/session over the socket. */
export async function signInOver(url: string, username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  return answer(res);
}

/** The guide's token request (client_secret_post) over the socket. */
export async function tokenOver(url: string, clientId: string, clientSecret: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'openid', client_id: clientId, client_secret: clientSecret }).toString(),
  });
  return answer(res);
}

/** How many answers had each status, e.g. {401: 5, 429: 7}. */
export function tally(answers: Answer[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const a of answers) out[a.status] = (out[a.status] ?? 0) + 1;
  return out;
}
